package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/db"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
)

// orderGet reads one order with its outcome.
func (s *Server) orderGet(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := s.deps.Orders.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, orderView(o))
}

// orderAttempts lists every call made for an order, first first.
func (s *Server) orderAttempts(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.deps.Orders.Get(ctx, id); err != nil {
		return err
	}
	rows, err := s.deps.Orders.SendAttempts(ctx, id)
	if err != nil {
		return err
	}
	out := struct {
		Attempts []Attempt `json:"attempts"`
	}{Attempts: make([]Attempt, 0, len(rows))}
	for _, a := range rows {
		out.Attempts = append(out.Attempts, attemptView(a))
	}
	return reply(c, http.StatusOK, out)
}

// ordersPage is one page of the orders history.
type ordersPage struct {
	Orders []OrderSummary `json:"orders"`
	// Counts are everything matching by status (the status filter aside).
	Counts map[string]int64 `json:"counts"`
	// NextCursor fetches the next page (as ?cursor=); null on the last.
	NextCursor *string `json:"next_cursor"`
}

var orderFilterParams = []string{"product", "status", "account_id", "requester", "approver", "since", "until", "q", "sort", "cursor"}

// orderQuery reads the history's filters, the same as the orders page's.
func orderQuery(q *query) history.OrderQuery {
	oq := history.OrderQuery{Requester: q.text("requester", 64), Approver: q.text("approver", 64)}
	f := &oq.OrderFilter
	if p := orders.Product(q.v.Get("product")); p != "" && !p.Valid() {
		q.errs["product"] = "Expected one of the products."
	} else {
		f.Product = string(p)
	}
	if st := orders.Status(q.v.Get("status")); st != "" && !st.Valid() {
		q.errs["status"] = "Expected one of the statuses."
	} else {
		f.Status = string(st)
	}
	f.AccountID = q.id("account_id")
	f.Since, f.Until = q.date("since"), q.date("until")
	if !f.Until.IsZero() && q.v.Get("until") != "" && len(q.v.Get("until")) == len(time.DateOnly) {
		// A date names the whole day: until=2026-11-30 includes it.
		f.Until = f.Until.AddDate(0, 0, 1)
	}
	f.Search = q.text("q", 200)
	if f.Search != "" && len([]rune(f.Search)) < 3 {
		q.errs["q"] = "Search for at least 3 characters."
	}
	switch sort := db.OrderSort(q.v.Get("sort")); sort {
	case "", db.SortNewest:
		f.Sort = db.SortNewest
	case db.SortOldest, db.SortUpdated:
		f.Sort = sort
	default:
		q.errs["sort"] = "Expected newest, oldest or updated."
	}
	if cur := q.v.Get("cursor"); cur != "" {
		after, ok := parseCursor(cur)
		if !ok {
			q.errs["cursor"] = "Use the next_cursor of the previous page, unchanged."
		}
		f.After = after
	}
	return oq
}

// ordersList lists one page of the orders history.
func (s *Server) ordersList(c echo.Context) error {
	q := newQuery(c, orderFilterParams...)
	oq := orderQuery(q)
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.deps.History.Orders(c.Request().Context(), oq)
	if err != nil {
		return err
	}
	out := ordersPage{Orders: make([]OrderSummary, 0, len(page.Orders)), Counts: page.Counts}
	if out.Counts == nil {
		out.Counts = map[string]int64{}
	}
	for _, o := range page.Orders {
		out.Orders = append(out.Orders, OrderSummary{
			ID: o.ID, Product: o.Product, Status: o.Status, Title: o.Title, AccountID: o.AccountID,
			Account: o.AccountName, RequesterID: o.RequesterID, RequesterUsername: o.RequesterUsername,
			Version: int(o.Version), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(),
		})
	}
	if page.Next != nil {
		cur := formatCursor(*page.Next)
		out.NextCursor = &cur
	}
	return reply(c, http.StatusOK, out)
}

// A cursor is the last row of a page: its id and update time, opaque to
// clients.
func formatCursor(c db.OrderCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + "." + strconv.FormatInt(c.Updated.UnixMicro(), 10)))
}

func parseCursor(s string) (db.OrderCursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return db.OrderCursor{}, false
	}
	idText, usText, ok := strings.Cut(string(b), ".")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	us, err2 := strconv.ParseInt(usText, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return db.OrderCursor{}, false
	}
	return db.OrderCursor{ID: id, Updated: time.UnixMicro(us).UTC()}, true
}
