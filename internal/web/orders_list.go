package web

import (
	"context"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderLister is what the lists of orders read (the orders list, the home
// page, the approvals inbox): orders by status or requester, the inbox,
// and their estimates. *orders.Service is one.
type orderLister interface {
	ListByStatus(ctx context.Context, status orders.Status, limit int) ([]orders.Order, error)
	ListMine(ctx context.Context, a orders.Actor, status orders.Status, limit int) ([]orders.Order, error)
	WaitingCount(ctx context.Context, a orders.Actor) (int, error)
	Inbox(ctx context.Context, a orders.Actor, limit int) ([]orders.InboxItem, error)
	EstimatesFor(ctx context.Context, ids []int64) (map[int64]orders.Estimate, error)
}

// ordersList is the orders history: everyone's orders (anyone signed in
// may read them), filtered, searched, sorted and keyset-paged, with counts
// by status. Requesters start on their own orders.
func (s *Server) ordersList(c echo.Context) error {
	ctx := c.Request().Context()
	u := s.user(c)
	me := ""
	if u.Has(auth.RoleRequester) {
		me = u.Username
	}
	q := c.QueryParams()
	oq, errs := ordersQuery(q, me, i18n.From(c.Request().Context()))
	v := templates.OrderListView{Page: s.page(c, tr(c, "title.orders")), CanCompose: u.Has(auth.RoleRequester), Errors: errs,
		Status: oq.Status, Product: q.Get("product"), Account: q.Get("account"), Requester: oq.Requester,
		Approver: oq.Approver, From: q.Get("from"), To: q.Get("to"), Search: q.Get("q"), Sort: string(oq.Sort),
		Mine: me != "" && strings.EqualFold(oq.Requester, me)}
	// "Created" turns between newest and oldest first; "Last change" sorts
	// by it, newest first.
	createdNext := history.SortNewest
	if oq.Sort == history.SortNewest {
		createdNext = history.SortOldest
	}
	v.CreatedSortURL, v.UpdatedSortURL = sortURL(q, oq.Requester, createdNext), sortURL(q, oq.Requester, history.SortUpdated)
	if err := s.orderFilterChoices(c, &v); err != nil {
		return err
	}
	if len(errs) > 0 {
		return render(c, http.StatusUnprocessableEntity, templates.OrderList(v))
	}
	page, err := s.deps.History.Orders(ctx, oq)
	if fe, ok := fault.AsFields(err); ok {
		maps.Copy(v.Errors, fe.Texts())
		return render(c, http.StatusUnprocessableEntity, templates.OrderList(v))
	}
	if err != nil {
		return err
	}
	if page.CountsCapped {
		v.MoreThan = history.CountLimit
	} else {
		// The total is what the rows are drawn from: with a status chosen,
		// that status's count, not the sum of every status (which the
		// counts beside it list, each a link to its own rows).
		for _, st := range orders.Statuses {
			n := page.Counts[string(st)]
			if oq.Status == "" || oq.Status == string(st) {
				v.Total += n
			}
			link := filterQuery(q, "after", "after_updated")
			link.Set("status", string(st))
			link.Set("requester", oq.Requester) // kept even empty: "everyone" is a choice
			v.Counts = append(v.Counts, templates.StatusCount{Status: string(st), Label: statusLabel(c, st), N: n,
				URL: "/orders?" + link.Encode(), Current: oq.Status == string(st)})
		}
	}
	ids := make([]int64, len(page.Orders))
	for i, o := range page.Orders {
		ids[i] = o.ID
	}
	ests, err := s.lists.EstimatesFor(ctx, ids)
	if err != nil {
		return err
	}
	subjects := make([]orders.BudgetSubject, len(page.Orders))
	for i, o := range page.Orders {
		subjects[i] = orders.BudgetSubject{ID: o.ID, AccountID: o.AccountID, Status: orders.Status(o.Status)}
	}
	over, err := s.overBudget(ctx, subjects, ests)
	if err != nil {
		return err
	}
	for _, o := range page.Orders {
		st := orders.Status(o.Status)
		v.Orders = append(v.Orders, templates.OrderRow{ID: o.ID, Title: o.Title, ProductLabel: productLabel(c, orders.Product(o.Product)),
			Summary: phraseText(c, orders.SummaryOf(orders.Product(o.Product), o.Region, o.Params).Headline),
			Status:  o.Status, StatusLabel: statusLabel(c, st), Version: int(o.Version), UpdatedAt: o.UpdatedAt, CreatedAt: o.CreatedAt,
			Account: o.AccountName, Requester: o.RequesterName + " (" + o.RequesterUsername + ")",
			Estimate: estimateText(c, ests[o.ID]), OverBudget: over[o.ID]})
	}
	exportQuery := filterQuery(q, "after", "after_updated")
	exportQuery.Set("requester", oq.Requester)
	v.ExportQuery = exportQuery.Encode()
	if page.Next != nil {
		v.NextURL = "/orders?" + nextOrdersQuery(q, *page.Next, oq.Sort).Encode()
	}
	return render(c, http.StatusOK, templates.OrderList(v))
}

// orderFilterChoices fills the selects of the orders filter.
func (s *Server) orderFilterChoices(c echo.Context, v *templates.OrderListView) error {
	v.Statuses = []templates.Option{{Value: "", Label: tr(c, "orders_list.all_statuses")}}
	for _, st := range orders.Statuses {
		v.Statuses = append(v.Statuses, templates.Option{Value: string(st), Label: statusLabel(c, st)})
	}
	v.Products = []templates.Option{{Value: "", Label: tr(c, "orders_list.all_products")}}
	for _, p := range orders.Products {
		v.Products = append(v.Products, templates.Option{Value: string(p), Label: productLabel(c, p)})
	}
	v.Sorts = []templates.Option{{Value: "newest", Label: tr(c, "orders_list.newest_first")}, {Value: "oldest", Label: tr(c, "orders_list.oldest_first")},
		{Value: "updated", Label: tr(c, "orders_list.recently_changed_first")}}
	accts, err := s.deps.History.Accounts(c.Request().Context())
	if err != nil {
		return err
	}
	v.Accounts = []templates.Option{{Value: "", Label: tr(c, "orders_list.all_accounts")}}
	for _, a := range accts {
		v.Accounts = append(v.Accounts, templates.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
	}
	return nil
}
