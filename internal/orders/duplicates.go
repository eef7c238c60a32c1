package orders

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// DefaultDuplicateWindow is how long a succeeded order keeps flagging the
// orders that buy the same again (CONSOLE_DUPLICATE_WINDOW).
const DefaultDuplicateWindow = 30 * 24 * time.Hour

// PurchaseKey is what the duplicate guard compares orders by, within one
// account and product.
type PurchaseKey struct {
	// Fingerprint is the sha256 of the canonical parameters without
	// ClientToken: a billing clone gets a fresh token, so its ParamsSHA256
	// differs from its source's, but it buys the same and has the same
	// fingerprint.
	Fingerprint string
	// Targets are the existing instances or environments the order acts on,
	// sorted: WAF's InstanceId (top level or in any GoodsDetail) and
	// GoodsDetail ResourceId; TCB's ResourceId and EnvId; RenewInstance's
	// InstanceId. A billing CreateInstance buys something new and has none.
	Targets []string
}

// PurchaseKeyOf computes an order's key from its product and parameters.
// Migration 011 computes the same in SQL for the orders that existed
// before it; TestPurchaseKeySQLAgrees holds the two to agreement.
func PurchaseKeyOf(p Product, params []byte) (PurchaseKey, error) {
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return PurchaseKey{}, fmt.Errorf("orders: purchase key: %w", err)
	}
	delete(m, "ClientToken")
	b, err := json.Marshal(m)
	if err != nil {
		return PurchaseKey{}, fmt.Errorf("orders: purchase key: %w", err)
	}
	canon, err := Canonical(b)
	if err != nil {
		return PurchaseKey{}, err
	}
	return PurchaseKey{Fingerprint: Hash(canon), Targets: targets(p, m)}, nil
}

func targets(p Product, m map[string]any) []string {
	var out []string
	add := func(obj any, keys ...string) {
		o, _ := obj.(map[string]any)
		for _, k := range keys {
			if s, ok := o[k].(string); ok && s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if t := p.Spec().targets; t != nil {
		t(m, add)
	}
	slices.Sort(out)
	return out
}

func targetsWAF(m map[string]any, add func(obj any, keys ...string)) {
	add(m, "InstanceId")
	goods, _ := m["Goods"].([]any)
	for _, g := range goods {
		if g, ok := g.(map[string]any); ok {
			add(g["GoodsDetail"], "InstanceId", "ResourceId")
		}
	}
}

func targetsBillingRenew(m map[string]any, add func(obj any, keys ...string)) {
	add(m, "InstanceId")
}

func targetsTCB(m map[string]any, add func(obj any, keys ...string)) {
	add(m, "ResourceId", "EnvId")
}

func (k PurchaseKey) db() db.PurchaseKey {
	return db.PurchaseKey{Fingerprint: k.Fingerprint, Targets: k.Targets}
}

// Duplicate is another order that may already buy what an order buys:
// same account and product, and the same purchase or a shared target.
type Duplicate struct {
	ID     int64
	Title  string
	Status Status
	// When is when it finished (succeeded, unknown) or else entered its status.
	When time.Time
	// SamePurchase: the same parameters, ClientToken aside. SameTarget: it
	// acts on one of the same instances or environments.
	SamePurchase bool
	SameTarget   bool
}

// Blocks reports whether the match forbids composing the same again: an
// order being sent, whose outcome is unknown, or whose deal waits to be
// paid, may be buying it right now.
func (d Duplicate) Blocks() bool {
	return d.Status == StatusSending || d.Status == StatusUnknown || d.Status == StatusAwaitingPayment
}

// WithDuplicateWindow returns a copy of the service under which succeeded
// orders flag duplicates for w after they finished (DefaultDuplicateWindow
// otherwise).
func (s *Service) WithDuplicateWindow(w time.Duration) *Service {
	c := *s
	c.duplicateWindow = w
	return &c
}

// duplicates lists the orders that match key (not excludeID: the order
// itself), as they stand in q's snapshot.
func (s *Service) duplicates(ctx context.Context, q db.DBTX, excludeID int64, p Product, account int64, key PurchaseKey) ([]Duplicate, error) {
	rows, err := db.ListPurchaseMatches(ctx, q, excludeID, account, string(p), key.db(), s.duplicateWindow)
	if err != nil {
		return nil, err
	}
	out := make([]Duplicate, len(rows))
	for i, r := range rows {
		d := Duplicate{ID: r.ID, Title: r.Title, Status: Status(r.Status), When: r.StatusChangedAt,
			SamePurchase: r.SamePurchase, SameTarget: r.SameTarget}
		if r.FinishedAt != nil {
			d.When = *r.FinishedAt
		}
		out[i] = d
	}
	return out, nil
}

// Duplicates lists the orders that may already buy what order o buys, for
// the pages: empty once o is being sent or has finished, when the question
// is settled.
func (s *Service) Duplicates(ctx context.Context, o Order) ([]Duplicate, error) {
	switch o.Status {
	case StatusDraft, StatusPendingApproval, StatusApproved:
	default:
		return nil, nil
	}
	return s.duplicates(ctx, s.pool, o.ID, o.Product, o.AccountID, o.PurchaseKey())
}

// refuseInFlight refuses a compose, clone or edit while a matching order is
// being sent or has an unknown outcome: it may have bought this already.
func refuseInFlight(ds []Duplicate) error {
	var ids []int64
	for _, d := range ds {
		if d.Blocks() {
			ids = append(ids, d.ID)
		}
	}
	switch len(ids) {
	case 0:
		return nil
	case 1:
		return conflict("order.duplicate.in_flight.one", "orders", orderNames(ids))
	default:
		return conflict("order.duplicate.in_flight.many", "orders", orderNames(ids))
	}
}

// orderNames is "#36" or "#36, #41"; the message says "Order" or
// "Orders" (see plural).
func orderNames(ids []int64) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = "#" + strconv.FormatInt(id, 10)
	}
	return strings.Join(names, ", ")
}

// plural is key+".one" for one order, key+".many" for more.
func plural(ids []int64, key string) string {
	if len(ids) == 1 {
		return key + ".one"
	}
	return key + ".many"
}

// duplicateIDs lists the ids of ds (never nil, so the records say []).
func duplicateIDs(ds []Duplicate) []int64 {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

// checkNotDuplicate decides whether an approval may go ahead with matches
// ds found at decision time: none, or the approver ticked "I have checked
// this is not a duplicate" having been shown every one of them.
func checkNotDuplicate(ds []Duplicate, opts ApproveOptions) error {
	if len(ds) == 0 {
		return nil
	}
	ids := duplicateIDs(ds)
	if !opts.NotDuplicate {
		return fault.Fields{"not_duplicate": fault.M(plural(ids, "order.duplicate.unchecked"), "orders", orderNames(ids))}
	}
	if opts.Shown != nil {
		var unseen []int64
		for _, id := range ids {
			if !slices.Contains(opts.Shown, id) {
				unseen = append(unseen, id)
			}
		}
		if len(unseen) > 0 {
			return fault.Fields{"not_duplicate": fault.M(plural(unseen, "order.duplicate.unseen"), "orders", orderNames(unseen))}
		}
	}
	return nil
}
