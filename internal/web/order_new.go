package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// orderNew shows a product's blank form.
func (s *Server) orderNew(c echo.Context) error {
	product, err := pathProduct(c)
	if err != nil {
		return err
	}
	accts, err := s.accountOptions(c.Request().Context())
	if err != nil {
		return err
	}
	f := newOrderForm(product)
	v := templates.OrderFormView{Page: s.page(c, tr(c, "title.new_order")), Action: "/orders/new/" + string(product), Accounts: accts}
	if v.CostCentres, err = s.costCentreOptions(c.Request().Context()); err != nil {
		return err
	}
	if len(accts) == 1 {
		// One account is the only choice; choosing it is busywork.
		f.account = accts[0].Value
	}
	f.fill(c, &v)
	return render(c, http.StatusOK, templates.OrderForm(v))
}
