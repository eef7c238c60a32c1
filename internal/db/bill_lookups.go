package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// BillLookup is one look at the bill for an order whose outcome is unknown
// (migration 014): the window asked, every deal found (Deals, JSON the
// caller reads), and what it proposes. It never settles anything itself.
type BillLookup struct {
	ID          int64
	OrderID     int64
	LookedUpAt  time.Time
	CheckedAt   time.Time
	WindowStart string
	WindowEnd   string
	Deals       []byte
	Calls       int
	Proposal    string
	DealNames   []string
	BigDealID   string
	Reason      string
}

func billLookupFrom(r sqlcgen.BillLookup) BillLookup {
	return BillLookup{
		ID: r.ID, OrderID: r.OrderID, LookedUpAt: r.LookedUpAt, CheckedAt: r.CheckedAt,
		WindowStart: r.WindowStart, WindowEnd: r.WindowEnd, Deals: r.Deals, Calls: int(r.Calls),
		Proposal: r.Proposal, DealNames: r.DealNames, BigDealID: r.BigDealID, Reason: r.Reason,
	}
}

// InsertBillLookup stores a lookup; the caller appends its audit event in
// the same transaction.
func InsertBillLookup(ctx context.Context, q DBTX, l BillLookup) (BillLookup, error) {
	deals := l.Deals
	if deals == nil {
		deals = []byte("[]")
	}
	row, err := queries.InsertBillLookup(ctx, q, sqlcgen.InsertBillLookupParams{
		OrderID: l.OrderID, WindowStart: l.WindowStart, WindowEnd: l.WindowEnd, Deals: deals,
		Calls: int32Of(l.Calls), Proposal: l.Proposal, DealNames: nonNil(l.DealNames), BigDealID: l.BigDealID, Reason: l.Reason,
	})
	if err != nil {
		return BillLookup{}, fmt.Errorf("db: insert bill lookup of order %d: %w", l.OrderID, Translate(err))
	}
	return billLookupFrom(row), nil
}

// TouchBillLookup records that a lookup found the same again.
func TouchBillLookup(ctx context.Context, q DBTX, id int64) error {
	if err := queries.TouchBillLookup(ctx, q, id); err != nil {
		return fmt.Errorf("db: touch bill lookup %d: %w", id, Translate(err))
	}
	return nil
}

// LatestBillLookup is an order's latest lookup; ErrNotFound if none.
func LatestBillLookup(ctx context.Context, q DBTX, orderID int64) (BillLookup, error) {
	row, err := queries.LatestBillLookup(ctx, q, orderID)
	if err != nil {
		return BillLookup{}, fmt.Errorf("db: latest bill lookup of order %d: %w", orderID, Translate(err))
	}
	return billLookupFrom(row), nil
}

// GetBillLookup reads one lookup; ErrNotFound if there is none.
func GetBillLookup(ctx context.Context, q DBTX, id int64) (BillLookup, error) {
	row, err := queries.GetBillLookup(ctx, q, id)
	if err != nil {
		return BillLookup{}, fmt.Errorf("db: bill lookup %d: %w", id, Translate(err))
	}
	return billLookupFrom(row), nil
}

// ClaimedDeals maps each of names that an order other than orderID holds
// (recorded, settled, or proposed as bought) to those orders.
func ClaimedDeals(ctx context.Context, q DBTX, orderID int64, names []string) (map[string][]int64, error) {
	rows, err := queries.ClaimedDeals(ctx, q, sqlcgen.ClaimedDealsParams{OrderID: orderID, Names: nonNil(names)})
	if err != nil {
		return nil, fmt.Errorf("db: claimed deals: %w", Translate(err))
	}
	out := map[string][]int64{}
	for _, r := range rows {
		out[r.DealName] = append(out[r.DealName], r.OrderID)
	}
	return out, nil
}
