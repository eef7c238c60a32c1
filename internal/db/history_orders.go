package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// OrderSort is an order of the orders history.
type OrderSort string

// The sorts of the orders history.
const (
	SortNewest  OrderSort = "newest"  // created, newest first
	SortOldest  OrderSort = "oldest"  // created, oldest first
	SortUpdated OrderSort = "updated" // last changed first
)

// OrderFilter narrows the orders history; zero fields filter nothing.
type OrderFilter struct {
	Product     string
	Status      string
	AccountID   int64
	RequesterID int64
	// ApproverID: orders this person decided on (either way).
	ApproverID int64
	// Since and Until bound the creation time: [Since, Until).
	Since, Until time.Time
	// Search is a title fragment or one of Tencent Cloud's ids, exactly.
	Search string
	Sort   OrderSort
	// After is the keyset cursor: the last row of the previous page.
	After OrderCursor
}

// OrderCursor is where a page of the orders history starts: after the
// order with this id (and, sorted by update, this update time).
type OrderCursor struct {
	ID      int64
	Updated time.Time
}

// OrderSummary is an order as the history lists and exports it.
type OrderSummary = sqlcgen.SearchOrdersNewestRow

// SearchOrders lists up to limit orders matching f in f's sort.
func SearchOrders(ctx context.Context, q DBTX, f OrderFilter, limit int) ([]OrderSummary, error) {
	p := sqlcgen.SearchOrdersNewestParams{
		Product: nonEmpty(f.Product), Status: nonEmpty(f.Status), AccountID: nonZeroID(f.AccountID),
		RequesterID: nonZeroID(f.RequesterID), ApproverID: nonZeroID(f.ApproverID),
		Since: nonZero(f.Since), Until: nonZero(f.Until), Search: nonEmpty(f.Search),
		AfterID: nonZeroID(f.After.ID), MaxRows: int32Of(limit),
	}
	if f.Search != "" {
		like := LikeContains(f.Search)
		p.TitleLike = &like
	}
	var rows []OrderSummary
	var err error
	switch f.Sort {
	case SortOldest:
		var rs []sqlcgen.SearchOrdersOldestRow
		rs, err = queries.SearchOrdersOldest(ctx, q, sqlcgen.SearchOrdersOldestParams(p))
		for _, r := range rs {
			rows = append(rows, OrderSummary(r))
		}
	case SortUpdated:
		up := sqlcgen.SearchOrdersUpdatedParams{Product: p.Product, Status: p.Status, AccountID: p.AccountID,
			RequesterID: p.RequesterID, ApproverID: p.ApproverID, Since: p.Since, Until: p.Until, Search: p.Search,
			TitleLike: p.TitleLike, MaxRows: p.MaxRows}
		if f.After.ID > 0 && !f.After.Updated.IsZero() {
			up.AfterUpdated, up.AfterID = &f.After.Updated, p.AfterID
		}
		var rs []sqlcgen.SearchOrdersUpdatedRow
		rs, err = queries.SearchOrdersUpdated(ctx, q, up)
		for _, r := range rs {
			rows = append(rows, OrderSummary(r))
		}
	default:
		rows, err = queries.SearchOrdersNewest(ctx, q, p)
	}
	if err != nil {
		return nil, fmt.Errorf("db: search orders: %w", Translate(err))
	}
	return rows, nil
}

// CountOrdersByStatus counts the orders matching f in each status, f's own
// status aside.
func CountOrdersByStatus(ctx context.Context, q DBTX, f OrderFilter) (map[string]int64, error) {
	p := sqlcgen.CountOrdersByStatusParams{
		Product: nonEmpty(f.Product), AccountID: nonZeroID(f.AccountID),
		RequesterID: nonZeroID(f.RequesterID), ApproverID: nonZeroID(f.ApproverID),
		Since: nonZero(f.Since), Until: nonZero(f.Until), Search: nonEmpty(f.Search),
	}
	if f.Search != "" {
		like := LikeContains(f.Search)
		p.TitleLike = &like
	}
	rows, err := queries.CountOrdersByStatus(ctx, q, p)
	if err != nil {
		return nil, fmt.Errorf("db: count orders: %w", Translate(err))
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// AccountName is an account's id and name.
type AccountName = sqlcgen.ListAccountNamesRow

// ListAccountNames lists every account, disabled ones too.
func ListAccountNames(ctx context.Context, q DBTX) ([]AccountName, error) {
	rows, err := queries.ListAccountNames(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list account names: %w", Translate(err))
	}
	return rows, nil
}

func nonZeroID(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}
