package sending

import (
	"context"
	"encoding/json"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// approvedTCB composes a CloudBase order with CreateAndPay set to pay
// (true, false, or nil for unset) and moves it to approved.
func (f *fixture) approvedTCB(t *testing.T, pay *bool) orders.Order {
	t.Helper()
	a := orderstest.NewUser(t, f.pool, "requester")
	d := orderstest.Draft(orders.ProductTCB, orderstest.NewAccount(t, f.pool))
	var m map[string]any
	_ = json.Unmarshal(d.Params, &m)
	if pay == nil {
		delete(m, "CreateAndPay")
	} else {
		m["CreateAndPay"] = *pay
	}
	d.Params, _ = json.Marshal(m)
	o, err := f.svc.Compose(context.Background(), a, d)
	if err != nil {
		t.Fatal(err)
	}
	return orderstest.Move(t, f.pool, f.svc, a, o, orders.StatusPendingApproval, orders.StatusApproved)
}

// A CloudBase order without CreateAndPay only creates an unpaid deal: it
// ends awaiting payment, never succeeded, and leaves that state only by an
// approver's recorded decision (paid, or abandoned), each with its event.
func TestCloudBaseWithoutCreateAndPayAwaitsPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	no := false
	approver := orderstest.NewUser(t, f.pool, "approver")
	requester := orderstest.NewUser(t, f.pool, "requester")
	var waiting []orders.Order
	for _, pay := range []*bool{&no, nil} {
		o := f.approvedTCB(t, pay)
		if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
			t.Fatal(err)
		}
		got := f.get(t, o.ID)
		if got.Status != orders.StatusAwaitingPayment {
			t.Fatalf("CreateAndPay %v: order is %s, want awaiting_payment", pay, got.Status)
		}
		if ev := lastEvent(t, f.pool, got); ev.Action != db.ActionOrderAwaitingPayment {
			t.Fatalf("event %s", ev.Action)
		}
		waiting = append(waiting, got)
	}
	if _, bought := f.purchases(); bought != 0 {
		t.Fatalf("the sandbox charged %d times for unpaid orders", bought)
	}
	// The same purchase cannot be composed while its deal waits.
	dup := orderstest.Draft(orders.ProductTCB, waiting[0].AccountID)
	dup.Params = waiting[0].Params
	if _, err := f.svc.Compose(ctx, requester, dup); err == nil {
		t.Fatal("composed the same purchase again while its deal awaits payment")
	}

	// Settling is an approver's decision, with a note.
	if _, err := f.sender.SettleByHand(ctx, requester, waiting[0].ID, Settlement{Succeeded: true, Note: "paid"}); err == nil {
		t.Fatal("a requester recorded the payment")
	}
	if _, err := f.sender.SettleByHand(ctx, approver, waiting[0].ID, Settlement{Succeeded: true}); err == nil {
		t.Fatal("recorded without a note")
	}
	paid, err := f.sender.SettleByHand(ctx, approver, waiting[0].ID, Settlement{Succeeded: true, Note: "Paid in the Billing Center, order 2026112900001."})
	if err != nil || paid.Status != orders.StatusSucceeded {
		t.Fatalf("paid: %s %v", paid.Status, err)
	}
	if ev := lastEvent(t, f.pool, paid); ev.Action != db.ActionOrderPaymentConfirmed || ev.Actor != itoa(approver.UserID) {
		t.Fatalf("event %s by %s", ev.Action, ev.Actor)
	}
	abandoned, err := f.sender.SettleByHand(ctx, approver, waiting[1].ID, Settlement{Note: "Cancelled in the console; not needed."})
	if err != nil || abandoned.Status != orders.StatusFailed {
		t.Fatalf("abandoned: %s %v", abandoned.Status, err)
	}
	if ev := lastEvent(t, f.pool, abandoned); ev.Action != db.ActionOrderPaymentAbandoned {
		t.Fatalf("event %s", ev.Action)
	}
	if got := f.get(t, waiting[1].ID); got.Sent.Outcome != OutcomePaymentRecorded || got.Sent.SettlementNote == "" {
		t.Fatalf("recorded outcome %q, note %q", got.Sent.Outcome, got.Sent.SettlementNote)
	}
	if _, err := f.sender.SettleByHand(ctx, approver, waiting[1].ID, Settlement{Succeeded: true, Note: "again"}); err == nil {
		t.Fatal("settled an order twice")
	}

	// Paid at once, the same product succeeds.
	yes := true
	o := f.approvedTCB(t, &yes)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusSucceeded {
		t.Fatalf("CreateAndPay true: %s", got.Status)
	}
}

// An unknown CloudBase order without CreateAndPay that a person finds
// "bought" has an unpaid deal: it awaits payment, it has not succeeded.
func TestUnknownUnpaidCloudBaseSettlesToAwaitingPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	no := false
	o := f.approvedTCB(t, &no)
	if _, err := f.sim.AddFault(tcsim.Fault{Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("setup: %s", got.Status)
	}
	approver := orderstest.NewUser(t, f.pool, "approver")
	got, err := f.sender.SettleByHand(ctx, approver, o.ID, Settlement{Succeeded: true, Note: "The deal is in the console, unpaid."})
	if err != nil || got.Status != orders.StatusAwaitingPayment {
		t.Fatalf("settled: %s %v", got.Status, err)
	}
	if ev := lastEvent(t, f.pool, got); ev.Action != db.ActionOrderSettledAwaitingPayment {
		t.Fatalf("event %s", ev.Action)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
