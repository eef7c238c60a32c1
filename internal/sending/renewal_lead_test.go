package sending

import (
	"context"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// TestRenewalDraftedByTheAccountsLeadDays: an account set to 10 days
// drafts a month-long instance's renewal 10 days before it expires, not at
// the default 30.
func TestRenewalDraftedByTheAccountsLeadDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bought := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service {
		return s.WithClock(func() time.Time { return bought })
	})
	purchase := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	if err := db.SetAccountRenewalLeadDays(ctx, f.pool, purchase.AccountID, 10); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, purchase.ID, purchase.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	purchase = f.get(t, purchase.ID)
	if purchase.Status != orders.StatusSucceeded || len(purchase.Sent.InstanceIDs) != 1 {
		t.Fatalf("purchase: %s, instances %v", purchase.Status, purchase.Sent.InstanceIDs)
	}
	e := expiryOf(t, f.pool, purchase.AccountID, purchase.Sent.InstanceIDs[0])
	for _, at := range []time.Time{e.ExpiresAt.AddDate(0, 0, -30), e.ExpiresAt.AddDate(0, 0, -10).Add(-time.Minute)} {
		if got, err := f.svc.DraftDueRenewals(ctx, at); err != nil || len(got.Drafted) != 0 {
			t.Fatalf("at %s (lead 10 days): drafted %v, err %v; want nothing yet", at, got.Drafted, err)
		}
	}
	got, err := f.svc.DraftDueRenewals(ctx, e.ExpiresAt.AddDate(0, 0, -10))
	if err != nil || len(got.Drafted) != 1 {
		t.Fatalf("10 days before expiry: drafted %v, err %v; want one renewal", got.Drafted, err)
	}
	if r := f.get(t, got.Drafted[0]); r.Product != orders.ProductBillingRenew || r.RequesterID != purchase.RequesterID {
		t.Fatalf("draft %s by %d, want a RenewInstance for %d", r.Product, r.RequesterID, purchase.RequesterID)
	}
}
