package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
)

// costCentreRetire retires a cost centre (retired=yes) or offers it again
// (retired=no).
func (s *Server) costCentreRetire(c echo.Context) error {
	id, err := pathBudgetID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	choose := msg(c, fault.M("budget.retire.choose"))
	retired := r.choice("retired", choose, "yes", "no")
	if !r.ok() || retired == "" {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: choose}
	}
	if err := s.deps.Orders.RetireCostCentre(c.Request().Context(), s.ordersActor(c), id, retired == "yes"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/budgets#cost-centres")
}
