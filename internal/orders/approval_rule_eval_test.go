package orders_test

import (
	"strings"
	"testing"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// riskRules is a policy as a finance team would write it: the first rule
// that holds decides, and Otherwise catches the rest.
var riskRules = []orders.Rule{
	{Position: 1, Name: "no-estimate", Condition: `!has_estimate`, Stages: []orders.Stage{{GroupID: 2, GroupName: "finance", Count: 1}}},
	{Position: 2, Name: "over-budget", Condition: `has_budget && budget_left_cny < 0`, Stages: []orders.Stage{{GroupID: 2, GroupName: "finance", Count: 2}}},
	{Position: 3, Name: "big", Condition: `estimate_cny > 10000`, Stages: []orders.Stage{{GroupID: 1, Count: 1}, {GroupID: 2, Count: 1}}},
	{Position: 4, Name: "long-term", Condition: `term_months > 12`, Stages: []orders.Stage{{Count: 2}}},
	{Position: 5, Name: "waf-security", Condition: `product == "waf" && deal_kind != "renewal"`, Stages: []orders.Stage{{GroupID: 3, Count: 1}}},
	{Position: 6, Name: "finance-own", Condition: `"finance" in groups`, SeparateRequesterGroups: true, Stages: []orders.Stage{{Count: 1}}},
	{Position: 7, Name: "bulk", Condition: `quantity >= 10 || (edition == "ueps" && auto_renew)`, Stages: []orders.Stage{{Count: 3}}},
	{Position: 8, Name: "cost-centre", Condition: `cost_centre.startsWith("rd-") && estimate_fen >= 500000`, Stages: []orders.Stage{{Count: 2}}},
	{Position: 9, Name: "tcb-change", Condition: `action == "CreateBillDeal" && deal_kind == "change" && account == "prod"`, Stages: []orders.Stage{{Count: 2}}},
	{Condition: "true", Otherwise: true, Stages: []orders.Stage{{Count: 1}}},
}

// base is an ordinary small order that only Otherwise catches.
func base() orders.RuleFacts {
	return orders.RuleFacts{
		Product: "billing", Action: "CreateInstance", DealKind: "new", Account: "main", AccountID: 7,
		HasEstimate: true, EstimateFen: 120000, EstimateCNY: 1200, TermMonths: 1, Quantity: 1, Edition: "aeps",
	}
}

func TestRuleEvaluationTable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		facts   func(f *orders.RuleFacts)
		want    string // rule name, "" for Otherwise
		skipped int
	}{
		{"small order falls through", func(*orders.RuleFacts) {}, "", 9},
		{"no estimate", func(f *orders.RuleFacts) { f.HasEstimate, f.EstimateFen, f.EstimateCNY = false, 0, 0 }, "no-estimate", 0},
		{"no estimate beats a long term", func(f *orders.RuleFacts) { f.HasEstimate, f.TermMonths = false, 36 }, "no-estimate", 0},
		{"amount exactly at the limit", func(f *orders.RuleFacts) { f.EstimateFen, f.EstimateCNY = 1000000, 10000 }, "", 9},
		{"one fen over the limit", func(f *orders.RuleFacts) { f.EstimateFen, f.EstimateCNY = 1000001, 10000.01 }, "big", 2},
		{"one fen under the limit", func(f *orders.RuleFacts) { f.EstimateFen, f.EstimateCNY = 999999, 9999.99 }, "", 9},
		{"far over the limit", func(f *orders.RuleFacts) { f.EstimateFen, f.EstimateCNY = 100000000, 1000000 }, "big", 2},
		{"budget exceeded", func(f *orders.RuleFacts) { f.HasBudget, f.BudgetLeftFen, f.BudgetLeftCNY = true, -1, -0.01 }, "over-budget", 1},
		{"budget exactly used up", func(f *orders.RuleFacts) { f.HasBudget, f.BudgetLeftFen, f.BudgetLeftCNY = true, 0, 0 }, "", 9},
		{"budget left", func(f *orders.RuleFacts) { f.HasBudget, f.BudgetLeftFen, f.BudgetLeftCNY = true, 500000, 5000 }, "", 9},
		{"no budget, negative left ignored", func(f *orders.RuleFacts) { f.HasBudget, f.BudgetLeftCNY = false, -5 }, "", 9},
		{"over budget and big: budget first", func(f *orders.RuleFacts) {
			f.HasBudget, f.BudgetLeftCNY, f.EstimateCNY = true, -100, 20000
		}, "over-budget", 1},
		{"term 12 months is not long", func(f *orders.RuleFacts) { f.TermMonths = 12 }, "", 9},
		{"term 13 months is long", func(f *orders.RuleFacts) { f.TermMonths = 13 }, "long-term", 3},
		{"term 3 years", func(f *orders.RuleFacts) { f.TermMonths = 36 }, "long-term", 3},
		{"big and long: big first", func(f *orders.RuleFacts) { f.TermMonths, f.EstimateCNY = 24, 50000 }, "big", 2},
		{"waf new purchase", func(f *orders.RuleFacts) { f.Product, f.DealKind = "waf", "new" }, "waf-security", 4},
		{"waf change", func(f *orders.RuleFacts) { f.Product, f.DealKind = "waf", "change" }, "waf-security", 4},
		{"waf add-on", func(f *orders.RuleFacts) { f.Product, f.DealKind = "waf", "add_on" }, "waf-security", 4},
		{"waf renewal skips security", func(f *orders.RuleFacts) { f.Product, f.DealKind = "waf", "renewal" }, "", 9},
		{"tcb new purchase", func(f *orders.RuleFacts) { f.Product, f.Action = "tcb", "CreateBillDeal" }, "", 9},
		{"requester in finance", func(f *orders.RuleFacts) { f.Groups = []string{"platform", "finance"} }, "finance-own", 5},
		{"requester in platform only", func(f *orders.RuleFacts) { f.Groups = []string{"platform"} }, "", 9},
		{"requester in no group", func(f *orders.RuleFacts) { f.Groups = nil }, "", 9},
		{"quantity 9", func(f *orders.RuleFacts) { f.Quantity = 9 }, "", 9},
		{"quantity 10", func(f *orders.RuleFacts) { f.Quantity = 10 }, "bulk", 6},
		{"ultimate edition renewing itself", func(f *orders.RuleFacts) { f.Edition, f.AutoRenew = "ueps", true }, "bulk", 6},
		{"ultimate edition renewed by hand", func(f *orders.RuleFacts) { f.Edition = "ueps" }, "", 9},
		{"rd cost centre at 5000 CNY", func(f *orders.RuleFacts) { f.CostCentre, f.EstimateFen = "rd-payments", 500000 }, "cost-centre", 7},
		{"rd cost centre under 5000 CNY", func(f *orders.RuleFacts) { f.CostCentre, f.EstimateFen = "rd-payments", 499999 }, "", 9},
		{"ops cost centre at 5000 CNY", func(f *orders.RuleFacts) { f.CostCentre, f.EstimateFen = "ops", 500000 }, "", 9},
		{"tcb change of plan on prod", func(f *orders.RuleFacts) {
			f.Product, f.Action, f.DealKind, f.Account = "tcb", "CreateBillDeal", "change", "prod"
		}, "tcb-change", 8},
		{"tcb change of plan on staging", func(f *orders.RuleFacts) {
			f.Product, f.Action, f.DealKind, f.Account = "tcb", "CreateBillDeal", "change", "staging"
		}, "", 9},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := base()
			c.facts(&f)
			got, skipped, err := orders.EvaluateRules(riskRules, f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != c.want || got.Otherwise != (c.want == "") || len(skipped) != c.skipped {
				t.Fatalf("rule %q (otherwise %v), %d skipped %v; want %q after %d", got.Name, got.Otherwise, len(skipped), skipped, c.want, c.skipped)
			}
		})
	}
}

func TestInvalidConditionsAreRefusedWithAClearMessage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ expr, key, says string }{
		{`estimate > 10000`, "rule.condition.invalid", "undeclared reference to 'estimate'"},
		{`estimate_cny >`, "rule.condition.invalid", "Syntax error"},
		{`product == 1`, "rule.condition.invalid", "no matching overload"},
		{`estimate_cny`, "rule.condition.not_bool", "double"},
		{`groups`, "rule.condition.not_bool", "list"},
	} {
		err := orders.CheckCondition(c.expr)
		fe, ok := fault.AsFields(err)
		if !ok || fe["condition"].Key != c.key || !strings.Contains(fe.Texts()["condition"], c.says) {
			t.Errorf("%q: %v; want %s saying %q", c.expr, err, c.key, c.says)
		}
	}
	for _, ok := range []string{`true`, `estimate_cny > 10000`, `"finance" in groups`, `term_months >= 12 && product in ["waf", "tcb"]`} {
		if err := orders.CheckCondition(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
}

// A condition that runs away is stopped by the cost limit and refuses the
// submission instead of holding it or skipping the rule.
func TestRunawayConditionIsStoppedByTheCostLimit(t *testing.T) {
	t.Parallel()
	expensive := `[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, a+b+c+d > 0))))`
	if err := orders.CheckCondition(expensive); err != nil {
		t.Fatalf("it compiles: %v", err)
	}
	rules := []orders.Rule{{Name: "runaway", Condition: expensive, Stages: []orders.Stage{{Count: 1}}}, riskRules[len(riskRules)-1]}
	_, _, err := orders.EvaluateRules(rules, base())
	if fe, ok := fault.As(err); !ok || fe.Msg.Key != "rule.eval_failed" || fault.KindOf(err) != fault.Refused {
		t.Fatalf("got %v; want the rule.eval_failed refusal", err)
	}
}
