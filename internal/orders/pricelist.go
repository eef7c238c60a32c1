package orders

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// The product lines a price belongs to (price_list_entries.line).
const (
	// PriceLineWAF prices a WAF product row by its name: an edition
	// (premium, enterprise, ultimate) or a pack (domain, qps, bot, api),
	// per unit per month, whichever deal kind (new, renew, modify) buys it.
	PriceLineWAF = "waf"
	// PriceLineBilling prices a Billing ProductCode (p_cloudfirewall,
	// p_yunjing) per instance per month, for CreateInstance and
	// RenewInstance alike.
	PriceLineBilling = "billing"
	// PriceLineTCB prices a CloudBase PackageId per month.
	PriceLineTCB = "tcb"
)

// PriceLines lists the product lines in the order pages show them.
var PriceLines = []string{PriceLineWAF, PriceLineBilling, PriceLineTCB}

// MaxPriceFen bounds one monthly price (one trillion yuan), as the
// database does.
const MaxPriceFen int64 = 100_000_000_000_000

var priceItemPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// PriceEntry is one row of the list: a month of one item, in fen, from a
// date on.
type PriceEntry = db.PriceEntry

// PriceList is one version of the whole list.
type PriceList struct {
	Version   int64
	CreatedAt time.Time
	CreatedBy int64
	Note      string
	Entries   []PriceEntry
}

// Monthly is the price of one month of item in force on day: the row with
// the latest effective date not after it. ok is false when the list does
// not price the item on that day.
func (l PriceList) Monthly(line, item string, day time.Time) (fen int64, ok bool) {
	day = dateOf(day)
	var best time.Time
	for _, e := range l.Entries {
		if e.Line != line || e.Item != item || e.EffectiveFrom.After(day) {
			continue
		}
		if !ok || e.EffectiveFrom.After(best) {
			fen, best, ok = e.MonthlyFen, e.EffectiveFrom, true
		}
	}
	return fen, ok
}

// InForce is the list as it prices on day: per line and item, the monthly
// price in force then. The sandbox charges from it in sandbox mode.
func (l PriceList) InForce(day time.Time) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	for _, e := range l.Entries {
		if _, done := out[e.Line][e.Item]; done {
			continue
		}
		if fen, ok := l.Monthly(e.Line, e.Item, day); ok {
			if out[e.Line] == nil {
				out[e.Line] = map[string]int64{}
			}
			out[e.Line][e.Item] = fen
		}
	}
	return out
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checkPriceEntries checks a whole list: known lines, item names the
// database accepts, amounts in bounds, and no item priced twice from the
// same date. Problems are returned per row (1-based, as a CSV's data rows
// count), so an import can name each.
func checkPriceEntries(entries []PriceEntry) []RowError {
	var errs []RowError
	seen := map[[3]string]int{}
	for i, e := range entries {
		row := i + 1
		switch {
		case !slices.Contains(PriceLines, e.Line):
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.row.line")})
		case !priceItemPattern.MatchString(e.Item):
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.row.item")})
		case e.MonthlyFen < 0 || e.MonthlyFen > MaxPriceFen:
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.row.amount")})
		case e.EffectiveFrom.IsZero():
			errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.row.date_missing")})
		default:
			k := [3]string{e.Line, e.Item, e.EffectiveFrom.Format(time.DateOnly)}
			if first, dup := seen[k]; dup {
				errs = append(errs, RowError{Row: row, Msg: fault.M("price_list.row.duplicate", "row", itoa(first))})
			} else {
				seen[k] = row
			}
		}
	}
	return errs
}

func actorName(a Actor) string {
	if a.UserID == 0 {
		return "system"
	}
	return strconv.FormatInt(a.UserID, 10)
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// RowError is one bad row of an imported list.
type RowError struct {
	Row int
	Msg fault.Msg
}

// CurrentPriceList reads the list in force.
func (s *Service) CurrentPriceList(ctx context.Context) (PriceList, error) {
	return currentPriceList(ctx, s.pool)
}

func currentPriceList(ctx context.Context, q db.DBTX) (PriceList, error) {
	v, err := db.CurrentPriceList(ctx, q)
	if err != nil {
		return PriceList{}, err
	}
	return PriceList{Version: v.ID, CreatedAt: v.CreatedAt, CreatedBy: v.CreatedBy, Note: v.Note, Entries: v.Entries}, nil
}

// PriceChange is what SetPriceList did.
type PriceChange struct {
	Version int64
	// Repriced are the open orders whose estimate the change moved;
	// Returned are those among them that were approved and went back for
	// approval.
	Repriced []int64
	Returned []int64
}

// SetPriceList replaces the whole list with entries, as a new version, for
// an admin. In the same transaction it appends the audit event and
// reprices every open order (draft, pending approval, approved): an order
// whose estimate moved records old and new amounts, and an approved one
// returns for approval, since what its approvers approved is no longer
// what it costs. Bad rows are FieldErrors-like RowErrors and change
// nothing.
func (s *Service) SetPriceList(ctx context.Context, a Actor, note string, entries []PriceEntry) (PriceChange, error) {
	if !a.Has(auth.RoleAdmin) {
		return PriceChange{}, forbidden("price_list.admins_only")
	}
	if len([]rune(note)) > 500 {
		return PriceChange{}, fault.Fields{"note": fault.M("price_list.note.too_long", "max", "500")}
	}
	if errs := checkPriceEntries(entries); len(errs) > 0 {
		return PriceChange{}, &PriceListErrors{Rows: errs}
	}
	var out PriceChange
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.LockPriceList(ctx, tx); err != nil {
			return err
		}
		prev, err := currentPriceList(ctx, tx)
		if err != nil {
			return err
		}
		id, err := db.InsertPriceList(ctx, tx, a.UserID, note, entries)
		if err != nil {
			return err
		}
		out = PriceChange{Version: id}
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{
			Actor: actorName(a), Action: db.ActionPriceListChanged, Subject: "price_list:" + itoa64(id),
			RemoteAddr: a.RemoteAddr, RequestID: a.RequestID,
			Details: map[string]any{"previous_version": prev.Version, "entries": len(entries), "note": note},
		}); err != nil {
			return err
		}
		list := PriceList{Version: id, Entries: entries}
		ids, err := db.ListOrdersToReprice(ctx, tx)
		if err != nil {
			return err
		}
		for _, oid := range ids {
			o, err := s.Lock(ctx, tx, oid)
			if err != nil {
				return err
			}
			moved, returned, err := s.reprice(ctx, tx, a, o, list, time.Now())
			if err != nil {
				return err
			}
			if moved {
				out.Repriced = append(out.Repriced, oid)
			}
			if returned {
				out.Returned = append(out.Returned, oid)
			}
		}
		return nil
	})
	return out, err
}

// PriceListErrors lists the bad rows of a list that was refused whole.
type PriceListErrors struct{ Rows []RowError }

func (e *PriceListErrors) Error() string {
	return "orders: price list has " + itoa(len(e.Rows)) + " bad rows"
}
