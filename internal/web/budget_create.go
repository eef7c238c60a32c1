package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// budgetCreate adds a budget from the new-budget form; any problem shows
// the page again with it (422), changing nothing.
func (s *Server) budgetCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	account, accountRaw := r.id("account_id", msg(c, fault.M("budget.account.missing")))
	centre, centreRaw := r.id("cost_centre_id", msg(c, fault.M("cost_centre.not_found")))
	period := r.choice("period", msg(c, fault.M("budget.period.bad")), orders.BudgetPeriods...)
	limitRaw := r.text("limit", line(maxShortText))
	limit, ok := orders.ParseCNY(limitRaw)
	if !ok {
		r.fail("limit", msg(c, fault.M("budget.limit.bad")))
	}
	form := templates.BudgetForm{AccountID: accountRaw, CostCentreID: centreRaw, Period: period, Limit: limitRaw, Block: r.flag("block")}
	if !r.ok() {
		form.Errors = r.errs
		return s.renderBudgets(c, http.StatusUnprocessableEntity, templates.BudgetsView{Form: form, FormError: fieldsText(r.errs)})
	}
	_, err = s.deps.Orders.CreateBudget(c.Request().Context(), s.ordersActor(c), orders.BudgetInput{
		AccountID: account, CostCentreID: centre, Period: period, LimitFen: limit, BlockOverBudget: form.Block})
	if fe := fieldTexts(c, err); fe != nil {
		form.Errors = fe
		return s.renderBudgets(c, http.StatusUnprocessableEntity, templates.BudgetsView{Form: form, FormError: fieldsText(fe)})
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("budget.saved"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/budgets")
}
