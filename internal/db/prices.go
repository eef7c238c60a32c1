package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"dealdesk/internal/db/sqlcgen"
)

// PriceEntry is one row of the price list (migration 019): one month of one
// item of a product line, in fen, from a date.
type PriceEntry struct {
	Line          string
	Item          string
	MonthlyFen    int64
	EffectiveFrom time.Time // a date, UTC midnight
}

// PriceListVersion is one version of the whole list.
type PriceListVersion struct {
	ID        int64
	CreatedAt time.Time
	// CreatedBy is 0 for the seeded default.
	CreatedBy int64
	Note      string
	Entries   []PriceEntry
}

// CurrentPriceList reads the latest version of the list and its rows.
func CurrentPriceList(ctx context.Context, q DBTX) (PriceListVersion, error) {
	v, err := queries.LatestPriceListVersion(ctx, q)
	if err != nil {
		return PriceListVersion{}, fmt.Errorf("db: latest price list: %w", Translate(err))
	}
	rows, err := queries.ListPriceEntries(ctx, q, v.ID)
	if err != nil {
		return PriceListVersion{}, fmt.Errorf("db: price entries: %w", Translate(err))
	}
	out := PriceListVersion{ID: v.ID, CreatedAt: v.CreatedAt, Note: v.Note, Entries: make([]PriceEntry, len(rows))}
	if v.CreatedBy != nil {
		out.CreatedBy = *v.CreatedBy
	}
	for i, r := range rows {
		out.Entries[i] = PriceEntry{Line: r.Line, Item: r.Item, MonthlyFen: r.MonthlyFen, EffectiveFrom: r.EffectiveFrom.Time}
	}
	return out, nil
}

// InsertPriceList stores a new version holding exactly entries and returns
// its id. The caller holds LockPriceList and appends the audit event in the
// same transaction.
func InsertPriceList(ctx context.Context, q DBTX, by int64, note string, entries []PriceEntry) (int64, error) {
	var creator *int64
	if by != 0 {
		creator = &by
	}
	v, err := queries.InsertPriceListVersion(ctx, q, sqlcgen.InsertPriceListVersionParams{CreatedBy: creator, Note: note})
	if err != nil {
		return 0, fmt.Errorf("db: insert price list version: %w", Translate(err))
	}
	for _, e := range entries {
		if err := queries.InsertPriceEntry(ctx, q, sqlcgen.InsertPriceEntryParams{
			VersionID: v.ID, Line: e.Line, Item: e.Item, MonthlyFen: e.MonthlyFen,
			EffectiveFrom: pgtype.Date{Time: e.EffectiveFrom, Valid: true},
		}); err != nil {
			return 0, fmt.Errorf("db: insert price entry %s/%s: %w", e.Line, e.Item, Translate(err))
		}
	}
	return v.ID, nil
}

// priceListLockKey is the advisory lock every change of the price list
// takes, so two admins' changes are versioned one after the other.
const priceListLockKey = 0x7072696365 // "price"

// LockPriceList takes the price list's transaction-scoped lock.
func LockPriceList(ctx context.Context, q DBTX) error {
	if err := queries.AdvisoryXactLock(ctx, q, priceListLockKey); err != nil {
		return fmt.Errorf("db: lock price list: %w", Translate(err))
	}
	return nil
}

// OrderEstimate is an order's stored estimate. Fen is nil for "no
// estimate" (a line the list does not price); Lines is the breakdown as
// JSON, which the domain writes and reads.
type OrderEstimate struct {
	OrderID          int64
	Fen              *int64
	PriceListVersion int64
	Lines            []byte
	ComputedAt       time.Time
}

// SaveOrderEstimate stores (or replaces) an order's estimate.
func SaveOrderEstimate(ctx context.Context, q DBTX, e OrderEstimate) error {
	if err := queries.UpsertOrderEstimate(ctx, q, sqlcgen.UpsertOrderEstimateParams{
		OrderID: e.OrderID, EstimateFen: e.Fen, PriceListVersion: e.PriceListVersion, Lines: e.Lines,
	}); err != nil {
		return fmt.Errorf("db: save estimate of order %d: %w", e.OrderID, Translate(err))
	}
	return nil
}

// GetOrderEstimate reads an order's estimate; ErrNotFound when it has none
// stored (an order older than migration 019 not yet repriced).
func GetOrderEstimate(ctx context.Context, q DBTX, orderID int64) (OrderEstimate, error) {
	r, err := queries.GetOrderEstimate(ctx, q, orderID)
	if err != nil {
		return OrderEstimate{}, fmt.Errorf("db: estimate of order %d: %w", orderID, Translate(err))
	}
	return estimateFrom(r), nil
}

// EstimateIsCurrent reports whether order orderID's stored estimate is still
// what the price list prices it at on today (a UTC day): the latest version
// made it and none of that version's entries took effect since. False when
// no estimate is stored.
func EstimateIsCurrent(ctx context.Context, q DBTX, orderID int64, today time.Time) (bool, error) {
	ok, err := queries.EstimateIsCurrent(ctx, q, sqlcgen.EstimateIsCurrentParams{
		OrderID: orderID, Today: pgtype.Date{Time: today, Valid: true},
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("db: estimate of order %d current: %w", orderID, Translate(err))
	}
	return ok, nil
}

// ListOrderEstimates reads the estimates of several orders, by order id.
func ListOrderEstimates(ctx context.Context, q DBTX, ids []int64) (map[int64]OrderEstimate, error) {
	rows, err := queries.ListOrderEstimates(ctx, q, emptyIfNil(ids))
	if err != nil {
		return nil, fmt.Errorf("db: list estimates: %w", Translate(err))
	}
	out := make(map[int64]OrderEstimate, len(rows))
	for _, r := range rows {
		out[r.OrderID] = estimateFrom(r)
	}
	return out, nil
}

func estimateFrom(r sqlcgen.OrderEstimate) OrderEstimate {
	return OrderEstimate{OrderID: r.OrderID, Fen: r.EstimateFen, PriceListVersion: r.PriceListVersion, Lines: r.Lines, ComputedAt: r.ComputedAt}
}

// ListOrdersToReprice lists, in id order, the orders a price change may
// move: drafts, and orders pending approval or approved.
func ListOrdersToReprice(ctx context.Context, q DBTX) ([]int64, error) {
	ids, err := queries.ListOrdersToReprice(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: orders to reprice: %w", Translate(err))
	}
	return ids, nil
}

// CommittedForAccount sums the estimates of an account's orders approved
// or sending, except one order; unpriced counts those without an estimate.
func CommittedForAccount(ctx context.Context, q DBTX, accountID, exceptOrderID int64) (fen int64, unpriced int, err error) {
	r, err := queries.CommittedForAccount(ctx, q, sqlcgen.CommittedForAccountParams{AccountID: accountID, ExceptOrderID: exceptOrderID})
	if err != nil {
		return 0, 0, fmt.Errorf("db: committed for account %d: %w", accountID, Translate(err))
	}
	return r.CommittedFen, int(r.Unpriced), nil
}
