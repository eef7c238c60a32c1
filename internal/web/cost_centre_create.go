package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/web/templates"
)

// costCentreCreate adds a cost centre; a bad or taken name shows the page
// again with the problem (422).
func (s *Server) costCentreCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	name := r.text("name", line(maxShortText))
	if !r.ok() {
		return s.renderBudgets(c, http.StatusUnprocessableEntity, templates.BudgetsView{CentreName: name, CentreError: r.errs["name"]})
	}
	cc, err := s.deps.Orders.AddCostCentre(c.Request().Context(), s.ordersActor(c), name)
	if fe := fieldTexts(c, err); fe != nil {
		return s.renderBudgets(c, http.StatusUnprocessableEntity, templates.BudgetsView{CentreName: name, CentreError: fe["name"]})
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("cost_centre.saved", "name", cc.Name))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/budgets#cost-centres")
}
