package history

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"dealdesk/internal/db"
)

// Format is an export's file format.
type Format string

// The export formats.
const (
	// CSV is what a spreadsheet opens cleanly: UTF-8 with a byte order mark
	// (Excel and WPS read it as UTF-8 only then), a row of column names,
	// then one row per record; no comment lines, which spreadsheets show as
	// rows. The export's kind, time and filters go into the file name (the
	// web layer) and the JSON Lines header. A cell that a spreadsheet would
	// run as a formula is neutralised (see cell).
	CSV Format = "csv"
	// JSONL is one JSON object per line: first {"export": ..., "exported_at":
	// ..., "filters": {...}}, then one object per record.
	JSONL Format = "jsonl"
)

// exportPage is how many rows an export reads at a time: memory stays
// bounded by one page whatever the export's size.
const exportPage = 1000

// Meta is the header of an export.
type Meta struct {
	Export     string            `json:"export"`
	ExportedAt time.Time         `json:"exported_at"`
	Filters    map[string]string `json:"filters"`
}

// OrderRecord is one order of an export.
type OrderRecord struct {
	ID                int64     `json:"id"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Status            string    `json:"status"`
	Product           string    `json:"product"`
	AccountID         int64     `json:"account_id"`
	Account           string    `json:"account"`
	RequesterID       int64     `json:"requester_id"`
	RequesterUsername string    `json:"requester_username"`
	Title             string    `json:"title"`
	Version           int32     `json:"version"`
	Outcome           string    `json:"outcome"`
	RequestID         string    `json:"request_id"`
	DealNames         []string  `json:"deal_names"`
	BigDealID         string    `json:"big_deal_id"`
	BillingOrderID    string    `json:"billing_order_id"`
	InstanceIDs       []string  `json:"instance_ids"`
	// EstimateFen is the order's estimate in fen (null: no estimate, or
	// never priced), from PriceListVersion (0: never priced).
	EstimateFen      *int64 `json:"estimate_fen"`
	PriceListVersion int64  `json:"price_list_version"`
	// Summary is what the order buys in words (the order pages' summary).
	Summary string `json:"summary"`
	// BilledFen is what the bill says the order cost, in fen (null until
	// the bill is found); BillDiffers flags a billed amount beyond the
	// tolerance from the estimate (CONSOLE_BILL_TOLERANCE_PERCENT).
	BilledFen   *int64 `json:"billed_fen"`
	BillDiffers bool   `json:"bill_differs"`
}

// OrderColumns are the CSV columns of an orders export. deal_names and
// instance_ids are space-separated: Tencent Cloud's ids hold no spaces.
var OrderColumns = []string{"id", "created_at", "updated_at", "status", "product", "account_id", "account",
	"requester_id", "requester_username", "title", "version", "outcome", "request_id", "deal_names",
	"big_deal_id", "billing_order_id", "instance_ids", "estimate_fen", "price_list_version", "summary", "billed_fen", "bill_differs"}

func (r OrderRecord) csv() []string {
	return cells(i64(r.ID), ts(r.CreatedAt), ts(r.UpdatedAt), r.Status, r.Product, i64(r.AccountID), r.Account,
		i64(r.RequesterID), r.RequesterUsername, r.Title, strconv.Itoa(int(r.Version)), r.Outcome, r.RequestID,
		strings.Join(r.DealNames, " "), r.BigDealID, r.BillingOrderID, strings.Join(r.InstanceIDs, " "),
		optI64(r.EstimateFen), optID(r.PriceListVersion), r.Summary, optI64(r.BilledFen), strconv.FormatBool(r.BillDiffers))
}

// optI64 writes an optional amount: empty for nil (money stays integer
// fen in exports too).
func optI64(p *int64) string {
	if p == nil {
		return ""
	}
	return i64(*p)
}

// optID writes an optional id: empty for 0.
func optID(id int64) string {
	if id == 0 {
		return ""
	}
	return i64(id)
}

// AuditRecord is one audit entry of an export, with its chain fields so
// the export itself can be checked.
type AuditRecord struct {
	ChainSeq   int64           `json:"chain_seq"`
	ID         int64           `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	Actor      string          `json:"actor"`
	ActorName  string          `json:"actor_username"`
	Action     string          `json:"action"`
	Subject    string          `json:"subject"`
	RemoteAddr string          `json:"remote_addr"`
	RequestID  string          `json:"request_id"`
	Details    json.RawMessage `json:"details"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// AuditColumns are the CSV columns of an audit export.
var AuditColumns = []string{"chain_seq", "id", "occurred_at", "actor", "actor_username", "action", "subject",
	"remote_addr", "request_id", "details", "prev_hash", "hash"}

func (r AuditRecord) csv() []string {
	return cells(i64(r.ChainSeq), i64(r.ID), ts(r.OccurredAt), r.Actor, r.ActorName, r.Action, r.Subject,
		r.RemoteAddr, r.RequestID, string(r.Details), r.PrevHash, r.Hash)
}

// bom is UTF-8's byte order mark: Excel and WPS read a CSV as UTF-8 only
// when it starts with one (without it a name like 名字 arrives garbled).
const bom = "\ufeff"

// cells neutralises each value (see Cell).
func cells(vs ...string) []string {
	for i, v := range vs {
		vs[i] = Cell(v)
	}
	return vs
}

// Cell is a value as the CSV export writes it: a value starting with =, +,
// -, @, a tab or a carriage return is one a spreadsheet would run as a
// formula (a title "=HYPERLINK(...)" typed by a requester would run on the
// auditor's machine), so it gets a leading apostrophe, which spreadsheets
// show as text and which a reader can strip. Our own values (ids, times,
// JSON details) never start with one of these.
func Cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// ts writes times in UTC with microseconds: what Postgres stores, exactly.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00") }

// writer writes one export in one format.
type writer struct {
	format Format
	buf    *bufio.Writer
	csv    *csv.Writer
	json   *json.Encoder
}

func newWriter(w io.Writer, f Format, meta Meta, columns []string) (*writer, error) {
	ew := &writer{format: f, buf: bufio.NewWriterSize(w, 64<<10)}
	switch f {
	case CSV:
		if _, err := ew.buf.WriteString(bom); err != nil {
			return nil, err
		}
		// Plain \n line ends: Go's CRLF mode drops a lone \r inside a value,
		// and Excel, WPS and LibreOffice all read \n.
		ew.csv = csv.NewWriter(ew.buf)
		return ew, ew.csv.Write(columns)
	case JSONL:
		ew.json = json.NewEncoder(ew.buf)
		ew.json.SetEscapeHTML(false)
		return ew, ew.json.Encode(meta)
	}
	return nil, fmt.Errorf("history: unknown export format %q", f)
}

func (w *writer) write(rec interface{ csv() []string }) error {
	if w.csv != nil {
		return w.csv.Write(rec.csv())
	}
	return w.json.Encode(rec)
}

// flush sends what is buffered on: a page's worth at a time, so the
// download streams and memory stays flat.
func (w *writer) flush() error {
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.buf.Flush()
}

// ExportOrders writes every order matching q (in q's sort) to w, reading a
// page at a time in one snapshot; after is called after each page (the web
// layer flushes the response there). It returns how many orders it wrote.
func (s *Service) ExportOrders(ctx context.Context, w io.Writer, f Format, meta Meta, q OrderQuery, after func()) (int64, error) {
	ew, err := newWriter(w, f, meta, OrderColumns)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.ReadSnapshot(ctx, s.pool, func(tx db.DBTX) error {
		filter, err := s.resolve(ctx, tx, q)
		if err != nil {
			return err
		}
		filter.After = db.OrderCursor{}
		for {
			rows, err := db.SearchOrders(ctx, tx, filter, exportPage)
			if err != nil {
				return err
			}
			ids := make([]int64, len(rows))
			for i, o := range rows {
				ids[i] = o.ID
			}
			// Read in the same snapshot as the rows.
			ests, err := db.ListOrderEstimates(ctx, tx, ids)
			if err != nil {
				return err
			}
			bills, err := db.ListOrderBills(ctx, tx, ids)
			if err != nil {
				return err
			}
			for _, o := range rows {
				e := ests[o.ID]
				summary := ""
				if s.summarize != nil {
					summary = s.summarize(ctx, o.Product, o.Region, o.Params)
				}
				b := bills[o.ID]
				if err := ew.write(OrderRecord{Summary: summary, BilledFen: b.BilledFen, BillDiffers: b.Differs, EstimateFen: e.Fen, PriceListVersion: e.PriceListVersion, ID: o.ID, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Status: o.Status,
					Product: o.Product, AccountID: o.AccountID, Account: o.AccountName, RequesterID: o.RequesterID,
					RequesterUsername: o.RequesterUsername, Title: o.Title, Version: o.Version, Outcome: o.Outcome,
					RequestID: o.RequestID, DealNames: o.DealNames, BigDealID: o.BigDealID,
					BillingOrderID: o.BillingOrderID, InstanceIDs: o.InstanceIds}); err != nil {
					return err
				}
				n++
			}
			if err := ew.flush(); err != nil {
				return err
			}
			if after != nil {
				after()
			}
			if len(rows) < exportPage {
				return nil
			}
			last := rows[len(rows)-1]
			filter.After = db.OrderCursor{ID: last.ID, Updated: last.UpdatedAt}
		}
	})
	return n, err
}

// ExportAudit writes every audit entry matching f, newest first, as
// ExportOrders does orders.
func (s *Service) ExportAudit(ctx context.Context, w io.Writer, format Format, meta Meta, f db.AuditFilter, after func()) (int64, error) {
	ew, err := newWriter(w, format, meta, AuditColumns)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.ReadSnapshot(ctx, s.pool, func(tx db.DBTX) error {
		var err error
		if f.Actor, err = s.actor(ctx, tx, f.Actor); err != nil {
			return err
		}
		f.BeforeSeq = 0
		for {
			rows, err := db.ListAuditLog(ctx, tx, f, exportPage)
			if err != nil {
				return err
			}
			for _, e := range rows {
				if err := ew.write(AuditRecord{ChainSeq: e.ChainSeq, ID: e.ID, OccurredAt: e.OccurredAt, Actor: e.Actor,
					ActorName: e.ActorUsername, Action: e.Action, Subject: e.Subject, RemoteAddr: e.RemoteAddr,
					RequestID: e.RequestID, Details: json.RawMessage(e.DetailsText), PrevHash: e.PrevHash, Hash: e.Hash}); err != nil {
					return err
				}
				n++
			}
			if err := ew.flush(); err != nil {
				return err
			}
			if after != nil {
				after()
			}
			if len(rows) < exportPage {
				return nil
			}
			f.BeforeSeq = rows[len(rows)-1].ChainSeq
		}
	})
	return n, err
}
