package sending

import (
	"context"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// After a purchase succeeds, the bill's amount is stored: in the sandbox,
// exactly the estimate, for every product, and not flagged.
func TestBilledAmountIsStored(t *testing.T) {
	t.Parallel()
	for _, p := range orders.Products {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			ctx := context.Background()
			o := orderstest.Approved(t, f.pool, f.svc, p)
			if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			if got := f.get(t, o.ID); got.Status != orders.StatusSucceeded {
				t.Fatalf("%s ends %s in the sandbox, want succeeded", p, got.Status)
			}
			est, _ := f.svc.EstimateFor(ctx, o.ID)
			n, err := f.sender.BillSucceeded(ctx, BillConfig{TolerancePercent: 1}, time.Now())
			if err != nil || n != 1 {
				t.Fatalf("looked up %d, %v", n, err)
			}
			b, err := db.GetOrderBill(ctx, f.pool, o.ID)
			if err != nil || b.Status != BillFound || b.BilledFen == nil || *b.BilledFen != est.TotalFen() || b.Differs ||
				deref(b.VoucherFen) != 0 || deref(b.DiscountFen) != 0 {
				t.Fatalf("bill %+v (%v), estimate %d", b, err, est.TotalFen())
			}
			// Found once: the next pass leaves it alone.
			if n, _ := f.sender.BillSucceeded(ctx, BillConfig{}, time.Now()); n != 0 {
				t.Fatalf("looked up %d orders again", n)
			}
			var events int
			if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE subject = $1 AND action = $2`,
				o.Subject(), db.ActionOrderBilled).Scan(&events); err != nil || events != 1 {
				t.Fatalf("%d order.billed events: %v", events, err)
			}
		})
	}
}

// A bill that differs from the estimate beyond the tolerance is flagged,
// with its own audit event; within the tolerance it is not.
func TestBilledAmountDifferenceIsFlagged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	// The estimate said 10% less than the sandbox charged.
	est, _ := f.svc.EstimateFor(ctx, o.ID)
	if _, err := f.pool.Exec(ctx, `UPDATE order_estimates SET estimate_fen = $2 WHERE order_id = $1`, o.ID, est.TotalFen()*9/10); err != nil {
		t.Fatal(err)
	}
	b, err := f.sender.LookUpBilled(ctx, o.ID, BillConfig{TolerancePercent: 20}, time.Now())
	if err != nil || b.Status != BillFound || b.Differs {
		t.Fatalf("within 20%%: %+v %v", b, err)
	}
	if _, err := f.pool.Exec(ctx, `DELETE FROM order_bills WHERE order_id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	b, err = f.sender.LookUpBilled(ctx, o.ID, BillConfig{TolerancePercent: 5}, time.Now())
	if err != nil || !b.Differs || *b.BilledFen != est.TotalFen() || *b.EstimateFen != est.TotalFen()*9/10 {
		t.Fatalf("beyond 5%%: %+v %v", b, err)
	}
	rows, n, err := db.ListBillsDiffering(ctx, f.pool, 10)
	if err != nil || n != 1 || len(rows) != 1 || rows[0].OrderID != o.ID {
		t.Fatalf("differing: %+v %d %v", rows, n, err)
	}
	var events int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE subject = $1 AND action = $2`,
		o.Subject(), db.ActionOrderBillDifferent).Scan(&events); err != nil || events != 1 {
		t.Fatalf("%d order.bill_differs events: %v", events, err)
	}
}

func TestBillDiffers(t *testing.T) {
	t.Parallel()
	est := int64(10000)
	for _, c := range []struct {
		billed int64
		est    *int64
		pct    int
		want   bool
	}{
		{10000, &est, 0, false}, {10001, &est, 0, true}, {10100, &est, 1, false}, {10101, &est, 1, true},
		{9900, &est, 1, false}, {9899, &est, 1, true}, {0, nil, 100, true},
	} {
		if got := BillDiffers(c.billed, c.est, c.pct); got != c.want {
			t.Errorf("BillDiffers(%d, %v, %d) = %v", c.billed, c.est, c.pct, got)
		}
	}
}
