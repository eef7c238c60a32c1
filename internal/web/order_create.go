package web

import (
	"context"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// orderComposer is what the new-order pages (orderNew, orderCreate and the
// form they share) need of the domain: the accounts to offer, a check that
// saves nothing (Preview), and Compose (Save). *orders.Service is one; the
// handlers' tests use a fake.
type orderComposer interface {
	Accounts(ctx context.Context) ([]orders.AccountChoice, error)
	Check(ctx context.Context, d orders.Draft, token string) ([]byte, error)
	Compose(ctx context.Context, a orders.Actor, d orders.Draft) (orders.Order, error)
	// EstimateDraft prices the preview by the list in force.
	EstimateDraft(ctx context.Context, d orders.Draft) (orders.Estimate, error)
}

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
	v := templates.OrderFormView{Page: s.page(c, tr(c, "title.new_order")), Action: "/orders/new/" + string(product), Accounts: accts}
	if v.CostCentres, err = s.costCentreOptions(c.Request().Context()); err != nil {
		return err
	}
	actor := s.ordersActor(c)
	return s.submitOrderForm(c, f, v, orders.PreviewClientToken, func(ctx context.Context, d orders.Draft) (orders.Order, error) {
		return s.composer.Compose(ctx, actor, d)
	})
}
