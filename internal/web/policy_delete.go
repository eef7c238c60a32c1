package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// policyDelete removes a policy; its orders fall back to the product's
// policy or the default.
func (s *Server) policyDelete(c echo.Context) error {
	p, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	if err := s.policies.DeletePolicy(c.Request().Context(), s.ordersActor(c), p.ID); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.policy_deleted", "scope", policyScope(c, p))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/policies")
}
