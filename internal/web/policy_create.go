package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// policyCreate stores a new policy.
func (s *Server) policyCreate(c echo.Context) error {
	p, in, required, fe, err := s.savePolicy(c, 0)
	if fe != nil {
		v, verr := s.policyForm(c, 0, in, required, "", fe)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, templates.PolicyForm(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.policy_saved", "scope", policyScope(c, p))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/policies")
}
