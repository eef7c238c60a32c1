package history

import (
	"context"
	"errors"
	"strconv"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// OrdersPageSize is how many orders one page of the history shows.
const OrdersPageSize = 50

// CountLimit is how many matching orders the counts beside a page read at
// most when the filter (a date, an approver, a search) has no kept counts:
// past it the page says "more than" rather than scanning a million rows.
const CountLimit = 5000

// OrderQuery is the orders history's filter as people give it: people by
// username, the rest as db.OrderFilter takes it.
type OrderQuery struct {
	db.OrderFilter
	Requester string
	Approver  string
}

// OrdersPage is one page of the orders history with the counts by status
// of everything matching (the status filter aside).
type OrdersPage struct {
	Orders []db.OrderSummary
	// Next is the next page's cursor; nil on the last page.
	Next   *db.OrderCursor
	Counts map[string]int64
	// CountsCapped says more than CountLimit orders match: Counts then
	// covers only the first CountLimit found and must not be shown as totals.
	CountsCapped bool
}

// Orders lists one page of the orders matching q, with the counts.
func (s *Service) Orders(ctx context.Context, q OrderQuery) (OrdersPage, error) {
	var page OrdersPage
	err := db.ReadSnapshot(ctx, s.pool, func(tx db.DBTX) error {
		f, err := s.resolve(ctx, tx, q)
		if err != nil {
			return err
		}
		rows, err := db.SearchOrders(ctx, tx, f, OrdersPageSize+1)
		if err != nil {
			return err
		}
		if len(rows) > OrdersPageSize {
			rows = rows[:OrdersPageSize]
			last := rows[len(rows)-1]
			page.Next = &db.OrderCursor{ID: last.ID, Updated: last.UpdatedAt}
		}
		page.Orders = rows
		counts, err := db.CountOrdersByStatus(ctx, tx, f, CountLimit)
		page.Counts, page.CountsCapped = counts.ByStatus, counts.Capped
		return err
	})
	return page, err
}

// resolve turns the usernames of q into user ids.
func (s *Service) resolve(ctx context.Context, q db.DBTX, oq OrderQuery) (db.OrderFilter, error) {
	f := oq.OrderFilter
	for _, p := range []struct {
		field, name string
		id          *int64
	}{{"requester", oq.Requester, &f.RequesterID}, {"approver", oq.Approver, &f.ApproverID}} {
		if p.name == "" {
			continue
		}
		actor, err := db.FindActor(ctx, q, p.name)
		if errors.Is(err, db.ErrNotFound) {
			return f, fault.Fields{p.field: fault.M("history.no_such_user", "name", strconv.Quote(p.name))}
		}
		if err != nil {
			return f, err
		}
		if *p.id, err = strconv.ParseInt(actor, 10, 64); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Accounts lists every account by name, for the account filter.
func (s *Service) Accounts(ctx context.Context) ([]db.AccountName, error) {
	return db.ListAccountNames(ctx, s.pool)
}

// CheckQuery reports fault.Fields when q names a person who does not
// exist: an export checks before it sends its first byte.
func (s *Service) CheckQuery(ctx context.Context, q OrderQuery) error {
	_, err := s.resolve(ctx, s.pool, q)
	return err
}
