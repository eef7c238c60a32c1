package orders_test

import (
	"context"
	"testing"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"

	"dealdesk/internal/db/dbtest"
)

func TestRequestSendWhenThePolicyDoesNotAutoSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	log := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: log})
	admin := orderstest.NewUser(t, pool, "admin")
	requester := orderstest.NewUser(t, pool, "requester")
	approver := orderstest.NewUser(t, pool, "approver")
	stranger := orderstest.NewUser(t, pool, "requester")
	account := orderstest.NewAccount(t, pool)
	if _, err := svc.SavePolicy(ctx, admin, 0, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1,
		AutoSend: false, WebhookFormat: orders.WebhookGeneric}); err != nil {
		t.Fatal(err)
	}
	o := submitted(t, svc, requester, orders.ProductTCB, account)
	o, err := svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "ok", orders.ApproveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusApproved || len(log.sends(t, o.ID)) != 0 {
		t.Fatalf("approved without auto-send: %s, %d sends queued", o.Status, len(log.sends(t, o.ID)))
	}
	if _, err := svc.RequestSend(ctx, stranger, o.ID, o.ParamsSHA256); kindOf(err) != fault.Refused {
		t.Fatalf("someone else's requester sent: %v", err)
	}
	if _, err := svc.RequestSend(ctx, requester, o.ID, "0000"); !kindOf(err).Conflicting() {
		t.Fatalf("send with a stale hash: %v", err)
	}
	if _, err := svc.RequestSend(ctx, requester, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := log.sends(t, o.ID); len(got) != 1 || got[0].Hash != o.ParamsSHA256 {
		t.Fatalf("sends %+v", got)
	}
	if a := actions(t, pool, o); a[len(a)-1] != "order.send_requested" {
		t.Fatalf("last event %s", a[len(a)-1])
	}
	// A draft cannot be sent.
	d, _ := svc.Compose(ctx, requester, orderstest.Draft(orders.ProductTCB, account))
	if _, err := svc.RequestSend(ctx, requester, d.ID, d.ParamsSHA256); !kindOf(err).Conflicting() {
		t.Fatalf("draft sent: %v", err)
	}
}
