package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// homeListLimit bounds each list on the home page; each links to the full one.
const homeListLimit = 10

// home is each person's starting point: what waits for them, by role. Orders
// whose outcome is unknown come first for those who settle them: such an
// order may have bought something, and until someone checks, nobody knows.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	u := s.user(c)
	a := s.ordersActor(c)
	v := templates.HomeView{
		Page:      s.page(c, tr(c, "title.home")),
		Requester: u.Has(auth.RoleRequester),
		Approver:  u.Has(auth.RoleApprover),
		Admin:     u.Has(auth.RoleAdmin),
		Auditor:   u.Has(auth.RoleAuditor),
	}
	if v.Approver || v.Admin {
		unknown, err := s.lists.ListByStatus(ctx, orders.StatusUnknown, homeListLimit)
		if err != nil {
			return err
		}
		v.Unknown = homeItems(c, unknown)
	}
	if v.Admin && s.deps.Orders != nil {
		bills, n, err := s.deps.Orders.BillsDiffering(ctx, homeListLimit)
		if err != nil {
			return err
		}
		v.BillsDifferingTotal = n
		for _, b := range bills {
			est := orders.Estimate{Total: b.EstimateFen}
			v.BillsDiffering = append(v.BillsDiffering, templates.BillDifferingItem{
				OrderID: b.OrderID, Title: b.Title, Billed: orders.FormatCNY(b.BilledFen), Estimate: est.String()})
		}
	}
	if n, ok := waitingCounted(c); ok && v.Approver {
		v.Waiting = n // the navigation's count, made for this request
	} else if v.Approver {
		n, err := s.lists.WaitingCount(ctx, a)
		if err != nil {
			return err
		}
		v.Waiting = n
	}
	if v.Requester {
		mine, err := s.lists.ListMine(ctx, a, "", 50)
		if err != nil {
			return err
		}
		for _, o := range mine {
			switch o.Status {
			case orders.StatusDraft:
				v.Drafts = appendCapped(c, v.Drafts, o)
			case orders.StatusRejected, orders.StatusFailed, orders.StatusUnknown:
				v.Attention = appendCapped(c, v.Attention, o)
			}
		}
	}
	return render(c, http.StatusOK, templates.Home(v))
}

func appendCapped(c echo.Context, items []templates.HomeOrder, o orders.Order) []templates.HomeOrder {
	if len(items) >= homeListLimit {
		return items
	}
	return append(items, homeItem(c, o))
}

func homeItems(c echo.Context, os []orders.Order) []templates.HomeOrder {
	out := make([]templates.HomeOrder, len(os))
	for i, o := range os {
		out[i] = homeItem(c, o)
	}
	return out
}

func homeItem(c echo.Context, o orders.Order) templates.HomeOrder {
	return templates.HomeOrder{ID: o.ID, Title: o.Title, Product: productLabel(c, o.Product), Summary: phraseText(c, o.Summary().Headline),
		Status: string(o.Status), StatusLabel: statusLabel(c, o.Status), Changed: o.StatusChangedAt}
}
