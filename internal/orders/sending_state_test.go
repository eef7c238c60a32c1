package orders_test

import (
	"context"
	"testing"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// SendingState is the one answer to "may this person send or settle this
// order now", read by the order page; the actions ask the same functions.
func TestSendingStateSaysWhoMaySendAndSettle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	approver := orderstest.NewUser(t, pool, "approver")
	admin := orderstest.NewUser(t, pool, "admin")
	auditor := orderstest.NewUser(t, pool, "auditor")
	other := orderstest.NewUser(t, pool, "requester")

	for _, p := range []orders.Product{orders.ProductBilling, orders.ProductTCB} {
		o := orderstest.Approved(t, pool, svc, p)
		owner := orders.Actor{UserID: o.RequesterID, Roles: []string{"requester"}}
		state := func(a orders.Actor) orders.SendingState {
			t.Helper()
			o, err := svc.Get(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			st, err := svc.SendingState(ctx, a, o)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		// Approved, nothing queued: its requester, approvers and admins may send it.
		for name, c := range map[string]struct {
			a    orders.Actor
			send bool
		}{"requester": {owner, true}, "approver": {approver, true}, "admin": {admin, true},
			"auditor": {auditor, false}, "another requester": {other, false}} {
			st := state(c.a)
			if st.CanSendNow != c.send || st.SendQueued || st.CanSettle || st.CanResend {
				t.Errorf("%s approved, %s: %+v, want CanSendNow %v and nothing else", p, name, st, c.send)
			}
			if orders.MaySend(c.a, o) != c.send {
				t.Errorf("%s: MaySend disagrees with the state", name)
			}
		}
		// Unknown: approvers and admins settle it, by resending when it
		// carries a ClientToken; nobody sends it again.
		if _, err := pool.Exec(ctx, "UPDATE orders SET status = 'unknown' WHERE id = $1", o.ID); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			a      orders.Actor
			settle bool
		}{"requester": {owner, false}, "approver": {approver, true}, "admin": {admin, true}, "auditor": {auditor, false}} {
			st := state(c.a)
			resend := c.settle && p == orders.ProductBilling
			if st.CanSettle != c.settle || st.CanResend != resend || st.CanSendNow || st.SettlesByResend != (p == orders.ProductBilling) {
				t.Errorf("%s unknown, %s: %+v, want CanSettle %v, CanResend %v", p, name, st, c.settle, resend)
			}
			if orders.MaySettle(c.a) != c.settle {
				t.Errorf("%s: MaySettle disagrees with the state", name)
			}
		}
	}
}
