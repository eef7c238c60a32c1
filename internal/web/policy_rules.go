package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// ruleKeeper is what a policy's rule pages need of the domain: the rules,
// and the groups their stages may name. *orders.Service is one.
type ruleKeeper interface {
	Groups(ctx context.Context) ([]orders.Group, error)
	TestRule(ctx context.Context, a orders.Actor, policyID int64, condition string, orderID int64) (orders.RuleTest, error)
	SaveRule(ctx context.Context, a orders.Actor, policyID, ruleID int64, in orders.RuleInput) (int64, error)
	DeleteRule(ctx context.Context, a orders.Actor, policyID, ruleID int64) error
	MoveRule(ctx context.Context, a orders.Actor, policyID, ruleID int64, up bool) error
}

// policyRules shows a policy's rules, the form that adds one and the
// "test this rule" box, which runs when the query names a condition and an
// order (a GET: testing changes nothing).
func (s *Server) policyRules(c echo.Context) error {
	p, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	v, err := s.rulesView(c, p, templates.RuleFormView{PolicyID: p.ID, StageCounts: [templates.RuleStageInputs]string{"1"}})
	if err != nil {
		return err
	}
	q := newFieldReader(c.QueryParams(), i18n.From(c.Request().Context()))
	v.Test.Condition = q.text("test_condition", lines(orders.MaxRuleConditionLen).named("field.what.condition"))
	orderID, raw := q.id("test_order", "field.enter_order_number")
	v.Test.OrderID, v.Test.Errors = raw, map[string]string{}
	if msg, ok := q.errs["test_condition"]; ok {
		v.Test.Errors["condition"] = msg
	}
	if msg, ok := q.errs["test_order"]; ok {
		v.Test.Errors["order"] = msg
	}
	if len(v.Test.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, templates.PolicyRules(v))
	}
	if strings.TrimSpace(v.Test.Condition) == "" || orderID == 0 {
		return render(c, http.StatusOK, templates.PolicyRules(v))
	}
	res, err := s.rules.TestRule(c.Request().Context(), s.ordersActor(c), p.ID, v.Test.Condition, orderID)
	if fe := fieldTexts(c, err); fe != nil {
		v.Test.Errors = fe
		return render(c, http.StatusUnprocessableEntity, templates.PolicyRules(v))
	}
	if err != nil {
		return err
	}
	v.Test.Ran, v.Test.Matches, v.Test.Decides = true, res.Matches, ruleName(i18n.From(c.Request().Context()), res.Decides)
	v.Test.Facts = factRows(res.Facts)
	return render(c, http.StatusOK, templates.PolicyRules(v))
}

func (s *Server) rulesView(c echo.Context, p orders.Policy, form templates.RuleFormView) (templates.PolicyRulesView, error) {
	v := templates.PolicyRulesView{Page: s.page(c, tr(c, "rules.page_title", "scope", policyScope(c, p))), PolicyID: p.ID, Scope: policyScope(c, p)}
	for _, r := range p.Rules {
		v.Rules = append(v.Rules, ruleRow(i18n.From(c.Request().Context()), r))
	}
	all := p.AllRules()
	v.Otherwise = ruleRow(i18n.From(c.Request().Context()), all[len(all)-1])
	for _, rv := range orders.RuleVariables {
		v.Variables = append(v.Variables, templates.FactRow{Name: rv.Name, Value: rv.Type})
	}
	groups, err := s.groupOptions(c)
	if err != nil {
		return v, err
	}
	form.Groups = groups
	v.Form = form
	return v, nil
}

// groupOptions are the stage selects' choices: anyone, or a group.
func (s *Server) groupOptions(c echo.Context) ([]templates.Option, error) {
	groups, err := s.rules.Groups(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := []templates.Option{{Value: "", Label: tr(c, "rules.anyone_approver")}}
	for _, g := range groups {
		out = append(out, templates.Option{Value: strconv.FormatInt(g.ID, 10), Label: tr(c, "rules.group_named", "name", g.Name)})
	}
	return out, nil
}

func ruleName(l *i18n.Localizer, r orders.Rule) string {
	if r.Otherwise {
		return l.T("rules.otherwise")
	}
	return r.Name
}

// stageText is "1 from finance" or "2 from any approver", in l's language.
func stageText(l *i18n.Localizer, st orders.Stage) string {
	if st.GroupID == 0 {
		return l.N("rules.stage_any", st.Count)
	}
	return l.N("rules.stage_group", st.Count, "group", st.GroupName)
}

func ruleRow(l *i18n.Localizer, r orders.Rule) templates.RuleRow {
	row := templates.RuleRow{ID: r.ID, Position: r.Position, Condition: r.Condition, AutoSend: r.AutoSend,
		Separate: r.SeparateRequesterGroups, ExcludeAdmins: r.ExcludeAdmins}
	if !r.Otherwise {
		row.Name = r.Name
	}
	for _, st := range r.Stages {
		row.Stages = append(row.Stages, stageText(l, st))
	}
	if r.ValidForSeconds > 0 {
		row.ValidFor = l.N("rules.valid_hours", int(r.ValidForSeconds/3600)) //nolint:gosec // G115: at most MaxRuleValidSeconds/3600 (8760), checked on save
	}
	return row
}

// factRows lists the facts a condition read, by variable name.
func factRows(f orders.RuleFacts) []templates.FactRow {
	groups := strings.Join(f.Groups, ", ")
	return []templates.FactRow{
		{Name: "product", Value: f.Product}, {Name: "action", Value: f.Action}, {Name: "deal_kind", Value: f.DealKind},
		{Name: "account", Value: f.Account}, {Name: "cost_centre", Value: f.CostCentre},
		{Name: "has_estimate", Value: strconv.FormatBool(f.HasEstimate)},
		{Name: "estimate_cny", Value: orders.FormatCNY(f.EstimateFen)},
		{Name: "term_months", Value: strconv.FormatInt(f.TermMonths, 10)}, {Name: "quantity", Value: strconv.FormatInt(f.Quantity, 10)},
		{Name: "edition", Value: f.Edition}, {Name: "auto_renew", Value: strconv.FormatBool(f.AutoRenew)},
		{Name: "has_budget", Value: strconv.FormatBool(f.HasBudget)}, {Name: "budget_left_cny", Value: orders.FormatCNY(f.BudgetLeftFen)},
		{Name: "groups", Value: groups},
	}
}
