package orders_test

import (
	"context"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// A colleague's clone must not keep a draft alive: the draft is deleted,
// the clone stays, and the audit log still says where it came from.
func TestDeleteADraftThatWasCloned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	bob := orderstest.NewUser(t, pool, "requester")
	o, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, orderstest.NewAccount(t, pool)))
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Clone(ctx, bob, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Delete(ctx, alice, o.ID); err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(ctx, c.ID)
	if err != nil || got.ClonedFromID != 0 || string(got.Params) != string(c.Params) || got.Version != c.Version {
		t.Fatalf("the clone after its source was deleted: %+v, %v", got, err)
	}
	events, _ := db.AuditEventsFor(ctx, pool, c.Subject())
	if len(events) != 1 || events[0].Details["cloned_from"] != float64(o.ID) {
		t.Fatalf("the clone's history: %+v", events)
	}
}

// A draft with send attempts (tried, not sent, then edited) keeps them as
// evidence: deleting it is refused with a reason, not a database error.
func TestDeleteRefusesADraftThatWasSentBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	o, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, orderstest.NewAccount(t, pool)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.BeginSendAttempt(ctx, pool, o.ID, "test"); err != nil {
		t.Fatal(err)
	}
	err = svc.Delete(ctx, alice, o.ID)
	if !kindOf(err).Conflicting() {
		t.Fatalf("delete of a draft with attempts: %v", err)
	}
	if _, err := svc.Get(ctx, o.ID); err != nil {
		t.Fatalf("the draft is gone: %v", err)
	}
}
