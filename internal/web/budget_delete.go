package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
)

// budgetDelete removes a budget.
func (s *Server) budgetDelete(c echo.Context) error {
	id, err := pathBudgetID(c)
	if err != nil {
		return err
	}
	if err := s.deps.Orders.DeleteBudget(c.Request().Context(), s.ordersActor(c), id); err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("budget.deleted"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/budgets")
}
