package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyNew shows an empty policy form, filled in with the default policy.
func (s *Server) policyNew(c echo.Context) error {
	d := orders.DefaultPolicy(orders.Products[0])
	in := orders.PolicyInput{Product: d.Product, AutoSend: d.AutoSend, WebhookFormat: d.WebhookFormat}
	v, err := s.policyForm(c, 0, in, "1", "", nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.PolicyForm(v))
}
