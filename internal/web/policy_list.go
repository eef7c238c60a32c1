package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// policyList lists the approval policies.
func (s *Server) policyList(c echo.Context) error {
	policies, err := s.deps.Orders.Policies(c.Request().Context())
	if err != nil {
		return err
	}
	v := templates.PolicyListView{Page: s.page(c, "Approval policies")}
	for _, p := range policies {
		v.Policies = append(v.Policies, policyRow(p))
	}
	return render(c, http.StatusOK, templates.PolicyList(v))
}
