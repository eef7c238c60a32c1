package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// spendFilter is the spend page's choice: an account, and optionally one
// of its cost centres.
type spendFilter struct {
	account, centre       int64
	accountRaw, centreRaw string
}

// readSpendFilter reads ?account= and ?cost_centre=; an id that does not
// parse is a 422 naming it, never a silent "all".
func readSpendFilter(c echo.Context) (spendFilter, error) {
	r := newFieldReader(c.QueryParams(), i18n.From(c.Request().Context()))
	var f spendFilter
	f.account, f.accountRaw = r.id("account", msg(c, fault.M("budget.account.missing")))
	f.centre, f.centreRaw = r.id("cost_centre", msg(c, fault.M("cost_centre.not_found")))
	if !r.ok() {
		return f, &SafeError{Status: http.StatusUnprocessableEntity, Safe: fieldsText(map[string]string{
			"account_id": r.errs["account"], "cost_centre_id": r.errs["cost_centre"]})}
	}
	return f, nil
}

func (f spendFilter) query() string {
	q := url.Values{"account": {f.accountRaw}}
	if f.centre != 0 {
		q.Set("cost_centre", f.centreRaw)
	}
	return q.Encode()
}

// spendShow is the spend page: the choice of account and cost centre, and
// for a chosen account its spend by month and by product, budgets and
// largest orders. Admins, approvers and auditors read it: it decides
// nothing, and approvers judge spend.
func (s *Server) spendShow(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := readSpendFilter(c)
	if err != nil {
		return err
	}
	v := templates.SpendView{Page: s.page(c, "Spend"), AccountID: f.accountRaw, CentreID: f.centreRaw}
	var bv templates.BudgetsView
	if err := s.budgetChoices(ctx, &bv); err != nil {
		return err
	}
	v.Accounts, v.Centres = bv.Accounts, bv.Centres
	if f.account == 0 {
		return render(c, http.StatusOK, templates.Spend(v))
	}
	sp, err := s.deps.Orders.SpendOf(ctx, f.account, f.centre, time.Now())
	if err != nil {
		return err
	}
	v.Chosen, v.ExportPath = true, f.query()
	v.Heading = labelOf(v.Accounts, f.accountRaw)
	if f.centre != 0 {
		v.Heading += " · " + labelOf(v.Centres, f.centreRaw)
	}
	v.Total, v.Unpriced = orders.FormatCNY(sp.TotalFen), sp.Unpriced
	v.ByMonth = spendChart(c, "spend-by-month", msg(c, fault.M("spend.by_month")), sp.Months)
	v.ByProduct = spendChart(c, "spend-by-product", msg(c, fault.M("spend.by_product")), sp.Products)
	v.Budgets = budgetRows(sp.Budgets)
	for _, o := range sp.Largest {
		if o.AmountFen == nil {
			continue
		}
		v.Largest = append(v.Largest, templates.SpendOrderRow{ID: o.ID, Title: o.Title, Product: productLabel(c, orders.Product(o.Product)),
			BoughtAt: o.BoughtAt.In(beijing).Format(time.DateOnly), Amount: orders.FormatCNY(*o.AmountFen),
			Billed: o.BilledFen != nil, Differs: o.Differs, CostCentre: o.CostCentre})
	}
	return render(c, http.StatusOK, templates.Spend(v))
}

// spendChart scales buckets to bars; the description lists every value so
// a screen reader hears the data, not just "a chart".
func spendChart(c echo.Context, id, title string, buckets []orders.SpendBucket) templates.SpendChart {
	ch := templates.SpendChart{ID: id, Title: title}
	var most int64
	for _, b := range buckets {
		most = max(most, b.Fen)
	}
	desc := ""
	for i, b := range buckets {
		w := 0
		if most > 0 {
			w = int(b.Fen * templates.BarMax / most)
		}
		ch.Bars = append(ch.Bars, templates.SpendBar{Label: b.Label, Amount: orders.FormatCNY(b.Fen), Width: w})
		if i > 0 {
			desc += "; "
		}
		desc += b.Label + ": " + orders.FormatCNY(b.Fen)
	}
	if desc == "" {
		desc = msg(c, fault.M("spend.none"))
	}
	ch.Desc = desc
	return ch
}

// labelOf is the label of the option whose value is v, else v.
func labelOf(opts []templates.Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return "#" + v
}
