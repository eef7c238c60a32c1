package sending

import (
	"context"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

func kind(err error) fault.Kind { return fault.KindOf(err) }

// unknownOrder sends an order of product p through a dropped connection.
func (f *fixture) unknownOrder(t *testing.T, p orders.Product) orders.Order {
	t.Helper()
	o := orderstest.Approved(t, f.pool, f.svc, p)
	if _, err := f.sim.AddFault(tcsim.Fault{Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("setup: order is %s", got.Status)
	}
	return o
}

func TestResendWithTokenBuysOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.unknownOrder(t, orders.ProductBilling)
	approver := orderstest.NewUser(t, f.pool, "approver")
	got, err := f.sender.ResendWithToken(ctx, approver, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	calls, bought := f.purchases()
	if got.Status != orders.StatusSucceeded || calls != 2 || bought != 1 {
		t.Fatalf("status %s, %d calls, %d purchases: a resend with the token must not buy again", got.Status, calls, bought)
	}
	all := f.sim.Calls()
	if string(all[0].Params) != string(all[1].Params) {
		t.Fatalf("the resend sent other parameters:\n%s\n%s", all[0].Params, all[1].Params)
	}
	if st := f.get(t, o.ID); st.Sent.BillingOrderID != all[0].Orders[0] {
		t.Fatalf("stored OrderId %q, first call made %q", st.Sent.BillingOrderID, all[0].Orders[0])
	}
}

func TestResendRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	waf := f.unknownOrder(t, orders.ProductWAF)
	approver := orderstest.NewUser(t, f.pool, "approver")
	requester := orderstest.NewUser(t, f.pool, "requester")
	if _, err := f.sender.ResendWithToken(ctx, approver, waf.ID); kind(err) != fault.Conflict {
		t.Errorf("WAF resend: %v", err)
	}
	billing := f.unknownOrder(t, orders.ProductBilling)
	if _, err := f.sender.ResendWithToken(ctx, requester, billing.ID); kind(err) != fault.Refused {
		t.Errorf("requester resend: %v", err)
	}
	succeeded := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	_ = f.sender.Send(ctx, succeeded.ID, succeeded.ParamsSHA256)
	if _, err := f.sender.ResendWithToken(ctx, approver, succeeded.ID); kind(err) != fault.Conflict {
		t.Errorf("resend of a succeeded order: %v", err)
	}
	if calls, _ := f.purchases(); calls != 3 {
		t.Fatalf("%d calls; refused resends must not call", calls)
	}
}

func TestSettleByHand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.unknownOrder(t, orders.ProductWAF)
	approver := orderstest.NewUser(t, f.pool, "approver")
	requester := orderstest.NewUser(t, f.pool, "requester")

	if _, err := f.sender.SettleByHand(ctx, requester, o.ID, Settlement{Succeeded: true, Note: "saw it"}); kind(err) != fault.Refused {
		t.Fatalf("requester settled: %v", err)
	}
	_, err := f.sender.SettleByHand(ctx, approver, o.ID, Settlement{Succeeded: true, Note: "  "})
	if fe, ok := fault.AsFields(err); !ok || fe["note"].Key == "" {
		t.Fatalf("settled without a note: %v", err)
	}
	got, err := f.sender.SettleByHand(ctx, approver, o.ID, Settlement{Succeeded: true,
		Note: "Found deal 2026112200001 in the WAF console, paid.", DealNames: []string{"2026112200001", " "}})
	if err != nil {
		t.Fatal(err)
	}
	stored := f.get(t, o.ID)
	if got.Status != orders.StatusSucceeded || stored.Sent.SettlementNote == "" || len(stored.Sent.DealNames) != 1 {
		t.Fatalf("settled order: %s %+v", got.Status, stored.Sent)
	}
	events, _ := db.AuditEventsFor(ctx, f.pool, o.Subject())
	last := events[len(events)-1]
	if last.Action != "order.settled_succeeded" || last.Details["note"] == nil || last.Actor == "system" {
		t.Fatalf("last event %+v", last)
	}
	// Settled is final.
	if _, err := f.sender.SettleByHand(ctx, approver, o.ID, Settlement{Note: "changed my mind"}); kind(err) != fault.Conflict {
		t.Fatalf("settled twice: %v", err)
	}
	if calls, _ := f.purchases(); calls != 1 {
		t.Fatalf("%d calls: settling by hand sends nothing", calls)
	}
}

// A resend whose answer comes back after someone settled the order by hand
// leaves the settlement standing, puts the answer on the audit trail beside
// it, and tells the person who resent what Tencent Cloud said.
func TestResendAnsweredAfterAHandSettlement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.unknownOrder(t, orders.ProductBilling)
	alice := orderstest.NewUser(t, f.pool, "approver")
	bob := orderstest.NewUser(t, f.pool, "approver")
	release := make(chan struct{})
	f.sim.ClearFaults()
	if _, err := f.sim.AddFault(tcsim.Fault{Latency: 3 * time.Second, Times: 1}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := f.sender.ResendWithToken(ctx, alice, o.ID)
		done <- err
		close(release)
	}()
	// Wait until the resend has reached the sandbox, then settle by hand.
	for deadline := time.Now().Add(30 * time.Second); len(f.sim.Calls()) < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the resend never reached the sandbox")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := f.sender.SettleByHand(ctx, bob, o.ID, Settlement{Succeeded: false, Note: "No order in the console."}); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if kind(err) != fault.Conflict || !strings.Contains(err.Error(), "succeeded") {
		t.Fatalf("resend after settlement: %v (want a conflict naming Tencent Cloud's answer)", err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusFailed {
		t.Fatalf("the settlement was overturned: %s", got.Status)
	}
	events, _ := db.AuditEventsFor(ctx, f.pool, o.Subject())
	last := events[len(events)-1]
	if last.Action != "order.resend_answer_after_settlement" || last.Details["outcome"] != "succeeded" || last.Details["settled_as"] != "failed" {
		t.Fatalf("last event %+v", last)
	}
	<-release
}

// A resend cut short by a shutdown left its attempt open; the next resend
// closes it as interrupted once it is older than any call may run.
func TestResendClosesAStaleOpenAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.unknownOrder(t, orders.ProductBilling)
	staleID, _, err := db.BeginSendAttempt(ctx, f.pool, o.ID, "dead")
	if err != nil {
		t.Fatal(err)
	}
	// Its call had started (calling_at set) when the shutdown cut it short.
	if _, err := f.pool.Exec(ctx, `UPDATE send_attempts SET started_at = now() - interval '2 hours', calling_at = now() - interval '2 hours' WHERE id = $1`, staleID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sender.ResendWithToken(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID); err != nil {
		t.Fatal(err)
	}
	attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
	for _, a := range attempts {
		if a.ID == staleID && a.Outcome != "interrupted" {
			t.Fatalf("stale attempt is %q", a.Outcome)
		}
		if a.Outcome == "" {
			t.Fatalf("attempt %d left open: %+v", a.ID, a)
		}
	}
}
