package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyList lists the approval policies.
func (s *Server) policyList(c echo.Context) error {
	policies, err := s.policies.Policies(c.Request().Context())
	if err != nil {
		return err
	}
	d := orders.DefaultPolicy(orders.Products[0]) // the same for every product
	v := templates.PolicyListView{Page: s.page(c, tr(c, "title.approval_policies")),
		Default: templates.PolicyRow{Required: d.RequiredApprovers, AutoSend: d.AutoSend, Webhook: "none"}}
	for _, p := range policies {
		v.Policies = append(v.Policies, policyRow(c, p))
	}
	return render(c, http.StatusOK, templates.PolicyList(v))
}
