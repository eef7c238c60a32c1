package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderCreate handles the new-order form: its row and preset buttons,
// Preview, and Save, which stores a draft and redirects to it.
func (s *Server) orderCreate(c echo.Context) error {
	product, err := pathProduct(c)
	if err != nil {
		return err
	}
	f, err := parseOrderForm(c, product)
	if err != nil {
		return err
	}
	accts, err := s.accountOptions(c.Request().Context())
	if err != nil {
		return err
	}
	v := templates.OrderFormView{Page: s.page(c, "New order"), Action: "/orders/new/" + string(product), Accounts: accts}
	actor := s.ordersActor(c)
	return s.submitOrderForm(c, f, v, orders.PreviewClientToken, func(ctx context.Context, d orders.Draft) (orders.Order, error) {
		return s.deps.Orders.Compose(ctx, actor, d)
	})
}
