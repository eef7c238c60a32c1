package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyUpdate replaces a policy's settings.
func (s *Server) policyUpdate(c echo.Context) error {
	cur, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	ctx, in := c.Request().Context(), policyInput(c)
	p, err := s.deps.Orders.SavePolicy(ctx, s.ordersActor(c), cur.ID, in)
	if fe, ok := orders.AsFieldErrors(err); ok {
		v, verr := s.policyForm(c, cur.ID, in, c.FormValue("required_approvers"), cur.AccountName, fe)
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, templates.PolicyForm(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", "Policy saved: "+p.Scope()+"."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID))
}
