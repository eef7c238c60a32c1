package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// policyUpdate replaces a policy's settings.
func (s *Server) policyUpdate(c echo.Context) error {
	cur, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	p, in, required, fe, err := s.savePolicy(c, cur.ID)
	if fe != nil {
		v, verr := s.policyForm(c, cur.ID, in, required, cur.AccountName, fe)
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
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID))
}
