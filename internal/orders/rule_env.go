package orders

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
)

// RuleFacts are what a rule's condition reads about an order: the CEL
// variables of the same names (RuleVariables). They are recorded with the
// pinned rule, so the order page can say why the rule applied.
type RuleFacts struct {
	Product     string `json:"product"`
	Action      string `json:"action"`
	DealKind    string `json:"deal_kind"`
	Account     string `json:"account"`
	AccountID   int64  `json:"account_id"`
	CostCentre  string `json:"cost_centre"`
	HasEstimate bool   `json:"has_estimate"`
	// EstimateFen is exact; EstimateCNY is the same in yuan for conditions
	// people write ("estimate_cny > 10000"). Both 0 without an estimate.
	EstimateFen int64   `json:"estimate_fen"`
	EstimateCNY float64 `json:"estimate_cny"`
	TermMonths  int64   `json:"term_months"`
	Quantity    int64   `json:"quantity"`
	Edition     string  `json:"edition"`
	AutoRenew   bool    `json:"auto_renew"`
	// HasBudget is false when no budget covers the order; BudgetLeft* is
	// then 0. Negative when the order exceeds its budget.
	HasBudget     bool     `json:"has_budget"`
	BudgetLeftFen int64    `json:"budget_left_fen"`
	BudgetLeftCNY float64  `json:"budget_left_cny"`
	Groups        []string `json:"groups"`
}

// RuleVariable is one variable a condition may name, for the policy page.
type RuleVariable struct {
	Name string
	Type string
}

// RuleVariables lists the declared environment, in the order the policy
// page explains it.
var RuleVariables = []RuleVariable{
	{"product", "string"}, {"action", "string"}, {"deal_kind", "string"}, {"account", "string"},
	{"account_id", "int"}, {"cost_centre", "string"}, {"has_estimate", "bool"}, {"estimate_fen", "int"},
	{"estimate_cny", "double"}, {"term_months", "int"}, {"quantity", "int"}, {"edition", "string"},
	{"auto_renew", "bool"}, {"has_budget", "bool"}, {"budget_left_fen", "int"}, {"budget_left_cny", "double"},
	{"groups", "list(string)"},
}

// ruleCostLimit bounds one evaluation: a condition is a few comparisons,
// and one that walks lists without end must stop rather than hold a
// submission (cel-go's cost units, about one per operation).
const ruleCostLimit = 10_000

// ruleEnv is the declared environment every condition is compiled and
// type-checked against. Cross-type numeric comparisons let a condition
// compare estimate_cny with 10000 as people write it.
var ruleEnv = sync.OnceValues(func() (*cel.Env, error) {
	opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true)}
	for _, v := range RuleVariables {
		var t *cel.Type
		switch v.Type {
		case "string":
			t = cel.StringType
		case "int":
			t = cel.IntType
		case "double":
			t = cel.DoubleType
		case "bool":
			t = cel.BoolType
		default:
			t = cel.ListType(cel.StringType)
		}
		opts = append(opts, cel.Variable(v.Name, t))
	}
	return cel.NewEnv(opts...)
})

// activation is the facts as CEL's variables.
func (f RuleFacts) activation() map[string]any {
	groups := f.Groups
	if groups == nil {
		groups = []string{}
	}
	return map[string]any{
		"product": f.Product, "action": f.Action, "deal_kind": f.DealKind, "account": f.Account,
		"account_id": f.AccountID, "cost_centre": f.CostCentre, "has_estimate": f.HasEstimate,
		"estimate_fen": f.EstimateFen, "estimate_cny": f.EstimateCNY, "term_months": f.TermMonths,
		"quantity": f.Quantity, "edition": f.Edition, "auto_renew": f.AutoRenew, "has_budget": f.HasBudget,
		"budget_left_fen": f.BudgetLeftFen, "budget_left_cny": f.BudgetLeftCNY, "groups": groups,
	}
}

// paramFacts reads the order's parameters for the facts a rule may judge:
// the kind of deal, the term in months, the quantity, the edition and
// auto-renewal, as the product's Spec says to read them (its facts,
// rule_facts.go). Unreadable parameters leave them zero.
func paramFacts(p Product, params []byte, f *RuleFacts) {
	read := p.Spec().facts
	if read == nil {
		return
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return
	}
	read(m, f)
}

// months is a term in whole months: years count twelve, days round up to
// the month they start.
func months(n int64, unit string) int64 {
	switch strings.ToLower(unit) {
	case "y":
		return n * 12
	case "d":
		return (n + 29) / 30
	case "p":
		return 0
	}
	return n
}
