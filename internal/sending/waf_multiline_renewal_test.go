package sending

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi"
)

// TestMultiLineWAFPurchaseIsRenewedWhole: a WAF purchase of an edition
// and domain packs (two Goods lines, one new instance) has its instance
// named per line by the bill, which records the instance's expiry; the
// lead time before it, one renewal order is drafted that renews both lines
// of the instance (each with its renewal category and the InstanceId),
// exactly once; sent, it moves the expiry by its month.
func TestMultiLineWAFPurchaseIsRenewedWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := newTestClock(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service { return s.WithClock(clock.Now) })
	o := approvedWith(t, f, orders.ProductWAF, wafTwoLines, "ap-guangzhou")
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	o = f.get(t, o.ID)
	if o.Status != orders.StatusSucceeded || len(o.Sent.DealNames) != 2 {
		t.Fatalf("purchase %s with deals %v", o.Status, o.Sent.DealNames)
	}
	if n := len(expiriesOf(t, f, o.ID)); n != 0 {
		t.Fatalf("before the bill: %d expiries; with two lines the answer's instance is not the lines'", n)
	}
	if b, err := f.sender.LookUpBilled(ctx, o.ID, BillConfig{}, time.Now()); err != nil || b.Status != BillFound {
		t.Fatalf("bill %+v, %v", b, err)
	}
	got := expiriesOf(t, f, o.ID)
	if len(got) != 1 || got[0].AutoRenew || !got[0].ExpiresAt.Equal(o.StatusChangedAt.AddDate(0, 1, 0)) {
		t.Fatalf("after the bill: %+v; want one instance, a month after %s", got, o.StatusChangedAt)
	}
	e := got[0]

	lead := e.ExpiresAt.AddDate(0, 0, -30)
	var drafted []int64
	for range 3 {
		d, err := f.svc.DraftDueRenewals(ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		drafted = append(drafted, d.Drafted...)
	}
	if len(drafted) != 1 {
		t.Fatalf("drafted %v, want one renewal", drafted)
	}
	r := f.get(t, drafted[0])
	var req tcapi.GenerateDealsAndPayNewRequest
	if err := json.Unmarshal(r.Params, &req); err != nil || r.Product != orders.ProductWAF || len(req.Goods) != 2 {
		t.Fatalf("renewal %s %s, want two WAF lines", r.Product, r.Params)
	}
	for i, wantCat := range []int64{102376, 102373} {
		g := req.Goods[i]
		if tcapi.Deref(g.GoodsCategoryId) != wantCat || tcapi.Deref(g.GoodsDetail.InstanceId) != e.Target {
			t.Fatalf("line %d: category %d for %q, want %d for %s", i, tcapi.Deref(g.GoodsCategoryId), tcapi.Deref(g.GoodsDetail.InstanceId), wantCat, e.Target)
		}
	}

	clock.Set(lead.Add(24 * time.Hour))
	r = orderstestMove(t, f, r)
	if err := f.sender.Send(ctx, r.ID, r.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, r.ID); got.Status != orders.StatusSucceeded {
		t.Fatalf("renewal sent: %s", got.Status)
	}
	moved := expiryOf(t, f.pool, o.AccountID, e.Target)
	if want := e.ExpiresAt.AddDate(0, 1, 0); !moved.ExpiresAt.Equal(want) || moved.LastOrderID != r.ID {
		t.Fatalf("after the renewal: %+v, want %s by order %d", moved, want, r.ID)
	}
}

// orderstestMove submits and approves a draft, as its requester and an
// approver would.
func orderstestMove(t *testing.T, f *fixture, o orders.Order) orders.Order {
	t.Helper()
	return orderstest.Move(t, f.pool, f.svc, orders.Actor{}, o, orders.StatusPendingApproval, orders.StatusApproved)
}
