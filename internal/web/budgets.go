package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// beijing is the zone budget periods follow (the bill's).
var beijing = time.FixedZone("CST", 8*3600)

// budgetList shows the budgets with their use and the cost centres.
func (s *Server) budgetList(c echo.Context) error {
	return s.renderBudgets(c, http.StatusOK, templates.BudgetsView{})
}

// renderBudgets fills the page's lists around what the forms hold in v.
func (s *Server) renderBudgets(c echo.Context, status int, v templates.BudgetsView) error {
	ctx := c.Request().Context()
	uses, err := s.deps.Orders.Budgets(ctx)
	if err != nil {
		return err
	}
	v.Page = s.page(c, "Budgets")
	v.CanEdit = s.user(c).Has(auth.RoleAdmin)
	v.Budgets = budgetRows(uses)
	if err := s.budgetChoices(ctx, &v); err != nil {
		return err
	}
	return render(c, status, templates.Budgets(v))
}

// budgetChoices fills the page's cost centres and the selects.
func (s *Server) budgetChoices(ctx context.Context, v *templates.BudgetsView) error {
	centres, err := s.deps.Orders.CostCentres(ctx)
	if err != nil {
		return err
	}
	v.Centres = []templates.Option{{Value: "", Label: "—"}}
	for _, cc := range centres {
		v.CostCentres = append(v.CostCentres, templates.CostCentreRow{ID: cc.ID, Name: cc.Name, Retired: cc.Retired})
		if !cc.Retired {
			v.Centres = append(v.Centres, templates.Option{Value: strconv.FormatInt(cc.ID, 10), Label: cc.Name})
		}
	}
	accounts, err := s.deps.Orders.Accounts(ctx)
	if err != nil {
		return err
	}
	v.Accounts = []templates.Option{{Value: "", Label: "—"}}
	for _, a := range accounts {
		v.Accounts = append(v.Accounts, templates.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
	}
	for _, p := range orders.BudgetPeriods {
		v.Periods = append(v.Periods, templates.Option{Value: p, Label: p})
	}
	return nil
}

// budgetRows writes budgets' amounts for the pages.
func budgetRows(uses []orders.BudgetUse) []templates.BudgetRow {
	out := make([]templates.BudgetRow, len(uses))
	for i, u := range uses {
		used := u.SpentFen + u.CommittedFen
		pct := 100
		if u.LimitFen > 0 && used < u.LimitFen {
			pct = int(used * 100 / u.LimitFen)
		} else if used <= 0 {
			pct = 0
		}
		out[i] = templates.BudgetRow{
			ID: u.ID, Account: u.AccountName, AccountID: u.AccountID, CostCentre: u.CostCentreName, Period: u.Period,
			PeriodRange: u.PeriodStart.In(beijing).Format(time.DateOnly) + " – " + u.PeriodEnd.In(beijing).AddDate(0, 0, -1).Format(time.DateOnly),
			Limit:       orders.FormatCNY(u.LimitFen), LimitYuan: yuan(u.LimitFen),
			Spent: orders.FormatCNY(u.SpentFen), Committed: orders.FormatCNY(u.CommittedFen),
			Requested: orders.FormatCNY(u.RequestedFen), Left: orders.FormatCNY(orders.BudgetLeftFen(u)),
			UsedPercent: pct, Over: orders.BudgetLeftFen(u) < 0, Block: u.BlockOverBudget, Unpriced: u.Unpriced,
		}
	}
	return out
}

// yuan writes fen as the plain decimal a form field holds: 5000000 → "50000.00".
func yuan(fen int64) string {
	s := strconv.FormatInt(fen/100, 10) + "." + strconv.FormatInt(100+fen%100, 10)[1:]
	return s
}

// pathBudgetID reads the :id of a budget or cost centre path; a malformed
// one is a 404 like a missing one.
func pathBudgetID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// fieldsText joins a refusal's field messages into one line for a form
// that shows one error.
func fieldsText(errs map[string]string) string {
	parts := make([]string, 0, len(errs))
	for _, k := range []string{"account_id", "cost_centre_id", "period", "limit", "name"} {
		if m, ok := errs[k]; ok {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, " ")
}
