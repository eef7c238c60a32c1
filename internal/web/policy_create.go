package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// policyCreate stores a new policy.
func (s *Server) policyCreate(c echo.Context) error {
	ctx, in := c.Request().Context(), policyInput(c)
	p, err := s.deps.Orders.SavePolicy(ctx, s.ordersActor(c), 0, in)
	if fe, ok := orders.AsFieldErrors(err); ok {
		v, verr := s.policyForm(c, 0, in, c.FormValue("required_approvers"), "", fe)
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
	return c.Redirect(http.StatusSeeOther, "/admin/policies")
}
