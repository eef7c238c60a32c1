package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// OrderBill is what the bill says a succeeded order cost (migrations 021
// and 022). The amounts are nil unless Status is "found".
type OrderBill struct {
	OrderID     int64
	Status      string // found, waiting, failed
	BilledFen   *int64
	ListFen     *int64
	DiscountFen *int64
	VoucherFen  *int64
	Deals       []byte
	Reason      string
	// EstimateFen is the estimate the bill was compared with; Differs says
	// they differ beyond TolerancePercent.
	EstimateFen      *int64
	Differs          bool
	TolerancePercent int
	Tries            int
	LookedUpAt       time.Time
}

func orderBillFrom(r sqlcgen.OrderBill) OrderBill {
	return OrderBill{OrderID: r.OrderID, Status: r.Status, BilledFen: r.BilledFen, ListFen: r.ListFen,
		DiscountFen: r.DiscountFen, VoucherFen: r.VoucherFen, Deals: r.Deals, Reason: r.Reason,
		EstimateFen: r.EstimateFen, Differs: r.Differs, TolerancePercent: int(r.TolerancePercent),
		Tries: int(r.Tries), LookedUpAt: r.LookedUpAt}
}

// SaveOrderBill stores a lookup of an order's bill (replacing the last).
func SaveOrderBill(ctx context.Context, q DBTX, b OrderBill) (OrderBill, error) {
	deals := b.Deals
	if deals == nil {
		deals = []byte("[]")
	}
	r, err := queries.UpsertOrderBill(ctx, q, sqlcgen.UpsertOrderBillParams{
		OrderID: b.OrderID, Status: b.Status, BilledFen: b.BilledFen, ListFen: b.ListFen, DiscountFen: b.DiscountFen,
		VoucherFen: b.VoucherFen, Deals: deals, Reason: b.Reason, EstimateFen: b.EstimateFen, Differs: b.Differs,
		TolerancePercent: int32(b.TolerancePercent), //nolint:gosec // 0..100, checked by config and the table
	})
	if err != nil {
		return OrderBill{}, fmt.Errorf("db: save bill of order %d: %w", b.OrderID, Translate(err))
	}
	return orderBillFrom(r), nil
}

// GetOrderBill reads an order's bill; ErrNotFound before the first lookup.
func GetOrderBill(ctx context.Context, q DBTX, orderID int64) (OrderBill, error) {
	r, err := queries.GetOrderBill(ctx, q, orderID)
	if err != nil {
		return OrderBill{}, fmt.Errorf("db: bill of order %d: %w", orderID, Translate(err))
	}
	return orderBillFrom(r), nil
}

// ListOrdersToBill lists succeeded orders since a time whose bill is not
// found yet and was looked up fewer than maxTries times.
func ListOrdersToBill(ctx context.Context, q DBTX, since time.Time, maxTries int) ([]int64, error) {
	ids, err := queries.ListOrdersToBill(ctx, q, sqlcgen.ListOrdersToBillParams{Since: since, MaxTries: int32(min(maxTries, 1<<30))}) //nolint:gosec // bounded
	if err != nil {
		return nil, fmt.Errorf("db: orders to bill: %w", Translate(err))
	}
	return ids, nil
}

// BillDiffering is an order whose bill differs from its estimate.
type BillDiffering struct {
	OrderID     int64
	Title       string
	BilledFen   int64
	EstimateFen *int64
}

// ListBillsDiffering lists, latest first, at most max orders whose bill
// differs from the estimate beyond the tolerance, and how many there are.
func ListBillsDiffering(ctx context.Context, q DBTX, max int) ([]BillDiffering, int, error) {
	n, err := queries.CountBillsDiffering(ctx, q)
	if err != nil {
		return nil, 0, fmt.Errorf("db: count bills differing: %w", Translate(err))
	}
	if n == 0 {
		return nil, 0, nil
	}
	rows, err := queries.ListBillsDiffering(ctx, q, int32(min(max, 1000))) //nolint:gosec // bounded
	if err != nil {
		return nil, 0, fmt.Errorf("db: bills differing: %w", Translate(err))
	}
	out := make([]BillDiffering, len(rows))
	for i, r := range rows {
		out[i] = BillDiffering{OrderID: r.OrderID, Title: r.Title, BilledFen: deref(r.BilledFen), EstimateFen: r.EstimateFen}
	}
	return out, int(n), nil
}

// ListOrderBills reads the bills of several orders, by order id (orders
// never looked up are absent).
func ListOrderBills(ctx context.Context, q DBTX, ids []int64) (map[int64]OrderBill, error) {
	rows, err := queries.ListOrderBills(ctx, q, emptyIfNil(ids))
	if err != nil {
		return nil, fmt.Errorf("db: list bills: %w", Translate(err))
	}
	out := make(map[int64]OrderBill, len(rows))
	for _, r := range rows {
		out[r.OrderID] = orderBillFrom(r)
	}
	return out, nil
}
