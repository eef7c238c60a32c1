package orders

import (
	"context"
	"errors"

	"dealdesk/internal/db"
)

// OrderBill is what the bill says a succeeded order cost (issue 16, part
// 3): a record read as stored, named here for the pages.
type OrderBill = db.OrderBill

// BillDiffering is an order whose bill differs from its estimate.
type BillDiffering = db.BillDiffering

// BillOf reads the order's bill; ok is false before the first lookup.
func (s *Service) BillOf(ctx context.Context, orderID int64) (b OrderBill, ok bool, err error) {
	b, err = db.GetOrderBill(ctx, s.pool, orderID)
	if errors.Is(err, db.ErrNotFound) {
		return OrderBill{}, false, nil
	}
	return b, err == nil, err
}

// BillsDiffering lists, latest first, at most max orders whose bill
// differs from the estimate beyond the tolerance, and how many there are.
func (s *Service) BillsDiffering(ctx context.Context, max int) ([]BillDiffering, int, error) {
	return db.ListBillsDiffering(ctx, s.pool, max)
}
