package sending

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// composeUnknown composes an approved order of p with params on account
// and sends it through fault: it ends unknown.
func (f *fixture) composeUnknown(t *testing.T, p orders.Product, params string, account int64, fault tcsim.Fault) orders.Order {
	t.Helper()
	ctx := context.Background()
	a := orderstest.NewUser(t, f.pool, "requester")
	d := orderstest.Draft(p, account)
	d.Params = []byte(params)
	o, err := f.svc.Compose(ctx, a, d)
	if err != nil {
		t.Fatal(err)
	}
	o = orderstest.Move(t, f.pool, f.svc, a, o, orders.StatusPendingApproval, orders.StatusApproved)
	fault.Times = 1
	if _, err := f.sim.AddFault(fault); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("setup: order %d is %s, want unknown", o.ID, got.Status)
	}
	return o
}

func wafTerm(months int) string {
	return strings.Replace(orderstest.WAFParams, `"TimeSpan":1`, fmt.Sprintf(`"TimeSpan":%d`, months), 1)
}

func tcbTerm(months int) string {
	return strings.Replace(orderstest.TCBParams, `"TimeSpan":1`, fmt.Sprintf(`"TimeSpan":%d`, months), 1)
}

// soldFor is what the sandbox says the call carrying o's bytes created.
func (f *fixture) soldFor(t *testing.T, o orders.Order) []string {
	t.Helper()
	for _, c := range f.sim.Calls() {
		if c.Bought && jsonSame(c.Params, o.Params) {
			return c.Orders
		}
	}
	t.Fatalf("the sandbox sold nothing for order %d", o.ID)
	return nil
}

func jsonSame(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// With the sandbox dropping the answers of 20 WAF and TCB orders (it sold
// each, then closed the connection), one pass proposes "bought" with
// exactly the deals each call created; confirming one settles it through
// the settle-by-hand path with those deal names.
func TestReconcileProposesEachDroppedOrdersDeal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	account := orderstest.NewAccount(t, f.pool)
	var unknown []orders.Order
	for m := 1; m <= 10; m++ {
		unknown = append(unknown,
			f.composeUnknown(t, orders.ProductWAF, wafTerm(m), account, tcsim.Fault{Drop: true}),
			f.composeUnknown(t, orders.ProductTCB, tcbTerm(m), account, tcsim.Fault{Drop: true}))
	}
	n, err := f.sender.ReconcileUnknown(ctx, ReconcileConfig{Quiet: time.Hour}, time.Now())
	if err != nil || n != 20 {
		t.Fatalf("looked up %d orders (%v), want 20", n, err)
	}
	for _, o := range unknown {
		l, err := db.LatestBillLookup(ctx, f.pool, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.soldFor(t, o); l.Proposal != ProposeBought || !slices.Equal(l.DealNames, want) {
			t.Errorf("order %d (%s): proposal %s %v (%s), want bought %v", o.ID, o.Product, l.Proposal, l.DealNames, l.Reason, want)
		}
		if l.Calls < 12 {
			t.Errorf("order %d: %d calls, want one per status at least", o.ID, l.Calls)
		}
		var ev []FoundDeal
		if err := json.Unmarshal(l.Deals, &ev); err != nil || len(ev) < 10 {
			t.Errorf("order %d: evidence %s (%v)", o.ID, l.Deals, err)
		}
	}
	if _, bought := f.purchases(); bought != 20 {
		t.Fatalf("%d purchases: a lookup must never buy", bought)
	}

	// A second pass that finds the same adds no lookup and no audit event.
	first, _ := db.LatestBillLookup(ctx, f.pool, unknown[0].ID)
	if _, err := f.sender.ReconcileUnknown(ctx, ReconcileConfig{Quiet: time.Hour}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.LatestBillLookup(ctx, f.pool, unknown[0].ID); again.ID != first.ID || !again.CheckedAt.After(first.CheckedAt) {
		t.Fatalf("second pass: lookup %d (checked %s), want %d checked later", again.ID, again.CheckedAt, first.ID)
	}

	// Confirming needs an approver and the latest lookup; it settles
	// through SettleByHand with the deal names.
	o := unknown[1]
	l, _ := db.LatestBillLookup(ctx, f.pool, o.ID)
	requester := orderstest.NewUser(t, f.pool, "requester")
	if _, err := f.sender.ConfirmLookup(ctx, requester, o.ID, l.ID); kind(err) != fault.Refused {
		t.Fatalf("a requester confirmed: %v", err)
	}
	approver := orderstest.NewUser(t, f.pool, "approver")
	if _, err := f.sender.ConfirmLookup(ctx, approver, o.ID, l.ID-1); kind(err) != fault.Stale {
		t.Fatalf("confirming a lookup that is not the latest: %v", err)
	}
	got, err := f.sender.ConfirmLookup(ctx, approver, o.ID, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != orders.StatusSucceeded || !slices.Equal(f.get(t, o.ID).Sent.DealNames, l.DealNames) {
		t.Fatalf("after confirming: %s, deals %v, want succeeded with %v", got.Status, f.get(t, o.ID).Sent.DealNames, l.DealNames)
	}
	ev := lastEvent(t, f.pool, got)
	if ev.Action != db.ActionOrderSettledSucceeded || fmt.Sprint(ev.Details["bill_lookup_id"]) != fmt.Sprint(l.ID) {
		t.Fatalf("audit event %s %v, want the settlement naming lookup %d", ev.Action, ev.Details, l.ID)
	}
}

// A call that never bought (a 502 in place of the service) waits through
// the quiet period and is then proposed "not bought"; confirming it fails
// the order. An identical order whose only matching deal another order
// holds, and two orders matching the same two deals, get no proposal.
func TestReconcileNotBoughtAndAmbiguous(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	approver := orderstest.NewUser(t, f.pool, "approver")
	cfg := ReconcileConfig{Quiet: 10 * time.Minute}

	never := f.composeUnknown(t, orders.ProductTCB, tcbTerm(7), orderstest.NewAccount(t, f.pool), tcsim.Fault{HTTPStatus: 502})
	l, err := f.sender.LookUpBill(ctx, never.ID, cfg, time.Now())
	if err != nil || l.Proposal != ProposeWaiting {
		t.Fatalf("within the quiet period: %s (%v), want waiting", l.Proposal, err)
	}
	l, err = f.sender.LookUpBill(ctx, never.ID, cfg, time.Now().Add(time.Hour))
	if err != nil || l.Proposal != ProposeNotBought || len(l.DealNames) != 0 {
		t.Fatalf("after the quiet period: %s %v (%v), want not_bought", l.Proposal, l.DealNames, err)
	}
	if got, err := f.sender.ConfirmLookup(ctx, approver, never.ID, l.ID); err != nil || got.Status != orders.StatusFailed {
		t.Fatalf("confirming not bought: %v %v", got.Status, err)
	}

	// Two identical orders on two accounts that sign with the same key:
	// each lookup sees both deals.
	a := f.composeUnknown(t, orders.ProductTCB, tcbTerm(3), orderstest.NewAccount(t, f.pool), tcsim.Fault{Drop: true})
	b := f.composeUnknown(t, orders.ProductTCB, tcbTerm(3), orderstest.NewAccount(t, f.pool), tcsim.Fault{Drop: true})
	for _, o := range []orders.Order{a, b} {
		if l, err := f.sender.LookUpBill(ctx, o.ID, cfg, time.Now()); err != nil || l.Proposal != ProposeAmbiguous || !strings.Contains(l.Reason, "2 groups") {
			t.Errorf("order %d: %s %q (%v), want ambiguous between two", o.ID, l.Proposal, l.Reason, err)
		}
	}

	// One bought order settled by hand with its deal; an identical order
	// that never bought finds only that deal, which is held.
	held := f.composeUnknown(t, orders.ProductTCB, tcbTerm(5), orderstest.NewAccount(t, f.pool), tcsim.Fault{Drop: true})
	deal := f.soldFor(t, held)
	if _, err := f.sender.SettleByHand(ctx, approver, held.ID, Settlement{Succeeded: true, Note: "Seen on the bill.", DealNames: deal}); err != nil {
		t.Fatal(err)
	}
	other := f.composeUnknown(t, orders.ProductTCB, tcbTerm(5), orderstest.NewAccount(t, f.pool), tcsim.Fault{HTTPStatus: 502})
	l, err = f.sender.LookUpBill(ctx, other.ID, cfg, time.Now().Add(time.Hour))
	if err != nil || l.Proposal != ProposeAmbiguous || !strings.Contains(l.Reason, "held by another order") {
		t.Fatalf("only a held deal: %s %q (%v), want ambiguous naming the holder", l.Proposal, l.Reason, err)
	}
	if _, err := f.sender.ConfirmLookup(ctx, approver, other.ID, l.ID); kind(err) != fault.Conflict {
		t.Fatalf("confirming a lookup that proposes nothing: %v", err)
	}

	// A CreateInstance order settles itself by resending its token: its
	// lookup is evidence only, even when one deal matches.
	billing := f.composeUnknown(t, orders.ProductBilling, orderstest.BillingParams, orderstest.NewAccount(t, f.pool), tcsim.Fault{Drop: true})
	l, err = f.sender.LookUpBill(ctx, billing.ID, cfg, time.Now())
	if err != nil || l.Proposal != ProposeNone || !strings.Contains(l.Reason, "Exactly one group") {
		t.Fatalf("CreateInstance lookup: %s %q (%v), want evidence only, with the match named", l.Proposal, l.Reason, err)
	}
}
