package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// ordersListLimit bounds the list; older orders come with the history
// pages of a later issue.
const ordersListLimit = 200

// ordersList is "My orders": the signed-in person's orders, newest first,
// optionally of one status. Anyone signed in may open it; people who do not
// compose simply have none.
func (s *Server) ordersList(c echo.Context) error {
	status := orders.Status(c.QueryParam("status"))
	if status != "" && !status.Valid() {
		status = ""
	}
	list, err := s.deps.Orders.ListMine(c.Request().Context(), s.ordersActor(c), status, ordersListLimit)
	if err != nil {
		return err
	}
	v := templates.OrderListView{Page: s.page(c, "My orders"), Status: string(status), CanCompose: s.user(c).Has(auth.RoleRequester)}
	v.Statuses = []templates.Option{{Value: "", Label: "All statuses"}}
	for _, st := range orders.Statuses {
		v.Statuses = append(v.Statuses, templates.Option{Value: string(st), Label: st.Label()})
	}
	for _, o := range list {
		v.Orders = append(v.Orders, templates.OrderRow{ID: o.ID, Title: o.Title, ProductLabel: o.Product.Label(),
			Status: string(o.Status), StatusLabel: o.Status.Label(), Version: o.Version, UpdatedAt: o.UpdatedAt})
	}
	return render(c, http.StatusOK, templates.OrderList(v))
}
