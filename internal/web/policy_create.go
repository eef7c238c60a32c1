package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyCreate stores a new policy.
func (s *Server) policyCreate(c echo.Context) error {
	return s.policyWrite(c, orders.Policy{}, func(orders.Policy) string { return "/admin/policies" })
}

// policyWrite saves the policy form over cur (the zero Policy for a new
// one) and goes to next(saved), or shows the form again with what is wrong
// (422, nothing saved).
func (s *Server) policyWrite(c echo.Context, cur orders.Policy, next func(orders.Policy) string) error {
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
	return c.Redirect(http.StatusSeeOther, next(p))
}
