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
	if f.ApproverID != 0 {
		return searchOrdersByApprover(ctx, q, f, p)
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

// StatusCounts is how many orders match a filter in each status.
type StatusCounts struct {
	ByStatus map[string]int64
	// Capped says counting stopped at the limit: more orders may match,
	// and ByStatus counts only the first ones found.
	Capped bool
}

// CountOrdersByStatus counts the orders matching f in each status, f's own
// status aside, without reading the whole orders table: filters by product,
// account and requester read the kept counts (migration 015); any other
// filter counts at most limit matching orders, Capped when it stopped there.
func CountOrdersByStatus(ctx context.Context, q DBTX, f OrderFilter, limit int) (StatusCounts, error) {
	out := StatusCounts{ByStatus: map[string]int64{}}
	if f.ApproverID == 0 && f.Since.IsZero() && f.Until.IsZero() && f.Search == "" {
		rows, err := queries.CountOrdersByStatusKept(ctx, q, sqlcgen.CountOrdersByStatusKeptParams{
			Product: nonEmpty(f.Product), AccountID: nonZeroID(f.AccountID), RequesterID: nonZeroID(f.RequesterID),
		})
		if err != nil {
			return out, fmt.Errorf("db: count orders: %w", Translate(err))
		}
		for _, r := range rows {
			out.ByStatus[r.Status] = r.N
		}
		return out, nil
	}
	p := sqlcgen.CountOrdersByStatusCappedParams{
		Product: nonEmpty(f.Product), AccountID: nonZeroID(f.AccountID),
		RequesterID: nonZeroID(f.RequesterID), ApproverID: nonZeroID(f.ApproverID),
		Since: nonZero(f.Since), Until: nonZero(f.Until), Search: nonEmpty(f.Search), MaxRows: int32Of(limit),
	}
	if f.Search != "" {
		like := LikeContains(f.Search)
		p.TitleLike = &like
	}
	var rows []sqlcgen.CountOrdersByStatusCappedRow
	var err error
	if f.ApproverID != 0 {
		rows, err = countOrdersByApprover(ctx, q, f.ApproverID, p)
	} else {
		rows, err = queries.CountOrdersByStatusCapped(ctx, q, p)
	}
	if err != nil {
		return out, fmt.Errorf("db: count orders: %w", Translate(err))
	}
	var total int64
	for _, r := range rows {
		out.ByStatus[r.Status] = r.N
		total += r.N
	}
	out.Capped = total >= int64(limit)
	return out, nil
}

// FoldOrderCounts moves the counts' pending deltas into the kept counts
// and drops groups that reached zero; it returns how many deltas it moved
// groups for. Safe to run at any time, by any replica.
func FoldOrderCounts(ctx context.Context, q DBTX) (int64, error) {
	n, err := queries.FoldOrderCounts(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("db: fold order counts: %w", Translate(err))
	}
	if _, err := queries.DropEmptyOrderCounts(ctx, q); err != nil {
		return 0, fmt.Errorf("db: drop empty order counts: %w", Translate(err))
	}
	return n, nil
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

// searchOrdersByApprover is SearchOrders for a filter naming an approver,
// through the queries whose EXISTS the planner can join
// (queries/history_approver.sql); p is SearchOrders' parameters for f.
func searchOrdersByApprover(ctx context.Context, q DBTX, f OrderFilter, p sqlcgen.SearchOrdersNewestParams) ([]OrderSummary, error) {
	var rows []OrderSummary
	var err error
	switch f.Sort {
	case SortOldest:
		var rs []sqlcgen.SearchOrdersByApproverOldestRow
		rs, err = queries.SearchOrdersByApproverOldest(ctx, q, sqlcgen.SearchOrdersByApproverOldestParams{Product: p.Product,
			AccountID: p.AccountID, RequesterID: p.RequesterID, ApproverID: f.ApproverID, Since: p.Since, Until: p.Until,
			Search: p.Search, TitleLike: p.TitleLike, Status: p.Status, AfterID: p.AfterID, MaxRows: p.MaxRows})
		for _, r := range rs {
			rows = append(rows, OrderSummary(r))
		}
	case SortUpdated:
		up := sqlcgen.SearchOrdersByApproverUpdatedParams{Product: p.Product, AccountID: p.AccountID, RequesterID: p.RequesterID,
			ApproverID: f.ApproverID, Since: p.Since, Until: p.Until, Search: p.Search, TitleLike: p.TitleLike,
			Status: p.Status, MaxRows: p.MaxRows}
		if f.After.ID > 0 && !f.After.Updated.IsZero() {
			up.AfterUpdated, up.AfterID = &f.After.Updated, p.AfterID
		}
		var rs []sqlcgen.SearchOrdersByApproverUpdatedRow
		rs, err = queries.SearchOrdersByApproverUpdated(ctx, q, up)
		for _, r := range rs {
			rows = append(rows, OrderSummary(r))
		}
	default:
		var rs []sqlcgen.SearchOrdersByApproverNewestRow
		rs, err = queries.SearchOrdersByApproverNewest(ctx, q, sqlcgen.SearchOrdersByApproverNewestParams{Product: p.Product,
			AccountID: p.AccountID, RequesterID: p.RequesterID, ApproverID: f.ApproverID, Since: p.Since, Until: p.Until,
			Search: p.Search, TitleLike: p.TitleLike, Status: p.Status, AfterID: p.AfterID, MaxRows: p.MaxRows})
		for _, r := range rs {
			rows = append(rows, OrderSummary(r))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("db: search orders: %w", Translate(err))
	}
	return rows, nil
}

// countOrdersByApprover is the capped count for a filter naming an
// approver (queries/history_approver.sql).
func countOrdersByApprover(ctx context.Context, q DBTX, approverID int64, p sqlcgen.CountOrdersByStatusCappedParams) ([]sqlcgen.CountOrdersByStatusCappedRow, error) {
	rs, err := queries.CountOrdersByStatusByApprover(ctx, q, sqlcgen.CountOrdersByStatusByApproverParams{Product: p.Product,
		AccountID: p.AccountID, RequesterID: p.RequesterID, ApproverID: approverID, Since: p.Since, Until: p.Until,
		Search: p.Search, TitleLike: p.TitleLike, MaxRows: p.MaxRows})
	rows := make([]sqlcgen.CountOrdersByStatusCappedRow, len(rs))
	for i, r := range rs {
		rows[i] = sqlcgen.CountOrdersByStatusCappedRow(r)
	}
	return rows, err
}
