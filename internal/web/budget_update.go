package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// budgetUpdate changes a budget's limit and whether it blocks.
func (s *Server) budgetUpdate(c echo.Context) error {
	id, err := pathBudgetID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	limit, ok := orders.ParseCNY(r.text("limit", line(maxShortText)))
	if !ok || !r.ok() {
		return s.renderBudgets(c, http.StatusUnprocessableEntity, templates.BudgetsView{FormError: msg(c, fault.M("budget.limit.bad"))})
	}
	if err := s.deps.Orders.UpdateBudget(c.Request().Context(), s.ordersActor(c), id, limit, r.flag("block")); err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("budget.saved"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/budgets")
}
