package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Limits on rules, mirrored by migration 026's CHECKs.
const (
	MaxRulesPerPolicy   = 50
	MaxStagesPerRule    = 5
	MaxRuleNameLen      = 80
	MaxRuleConditionLen = 2000
)

// Stage is one stage of approval: Count distinct people from GroupID, or
// from anyone with the approver role when GroupID is 0.
type Stage struct {
	GroupID   int64  `json:"group_id"`
	GroupName string `json:"group_name"`
	Count     int    `json:"count"`
}

// Rule is one rule of a policy: when Condition holds, the order needs
// Stages, in order. Otherwise marks the policy's last rule, the one its
// own required approvers and auto-send make (condition true).
type Rule struct {
	ID        int64   `json:"rule_id"`
	Position  int     `json:"position"`
	Name      string  `json:"name"`
	Condition string  `json:"condition"`
	Otherwise bool    `json:"otherwise"`
	Stages    []Stage `json:"stages"`
	AutoSend  bool    `json:"auto_send"`
	// SeparateRequesterGroups: nobody in any of the requester's groups may
	// approve. ExcludeAdmins: admins may not approve.
	SeparateRequesterGroups bool `json:"separate_requester_groups"`
	ExcludeAdmins           bool `json:"exclude_admins"`
	// ValidForSeconds is how long an approval stays valid; 0 until sent.
	ValidForSeconds int `json:"valid_for_seconds"`
}

// Required is how many approvals the rule needs in all.
func (r Rule) Required() int {
	n := 0
	for _, s := range r.Stages {
		n += s.Count
	}
	return n
}

// PinnedRule is the rule an order is held to, fixed at its submission with
// why it applied: the facts its condition read and the rules before it
// that did not match.
type PinnedRule struct {
	Rule
	PolicyID          int64     `json:"policy_id"`
	RulesVersion      int       `json:"rules_version"`
	RequesterGroupIDs []int64   `json:"requester_group_ids"`
	Facts             RuleFacts `json:"facts"`
	Skipped           []string  `json:"skipped"`
}

// otherwiseRule is the policy's last rule, from its own settings.
func otherwiseRule(p Policy) Rule {
	return Rule{
		Position: len(p.Rules) + 1, Condition: "true", Otherwise: true,
		Stages: []Stage{{Count: p.RequiredApprovers}}, AutoSend: p.AutoSend,
	}
}

// AllRules are the policy's rules in order, ending with Otherwise.
func (p Policy) AllRules() []Rule {
	return append(append([]Rule(nil), p.Rules...), otherwiseRule(p))
}

func ruleFrom(r db.ApprovalRule) Rule {
	out := Rule{
		ID: r.ID, Position: r.Position, Name: r.Name, Condition: r.Condition, AutoSend: r.AutoSend,
		SeparateRequesterGroups: r.SeparateRequesterGroups, ExcludeAdmins: r.ExcludeAdmins,
		ValidForSeconds: r.ValidForSeconds,
	}
	for _, s := range r.Stages {
		out.Stages = append(out.Stages, Stage{GroupID: s.GroupID, GroupName: s.GroupName, Count: s.Count})
	}
	return out
}

// compileCondition compiles and type-checks a condition against the
// declared environment; the refusal names what is wrong in CEL's words,
// which point at the admin's own expression.
func compileCondition(expr string) (cel.Program, error) {
	env, err := ruleEnv()
	if err != nil {
		return nil, fmt.Errorf("orders: the rule environment: %w", err)
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		return nil, fault.Fields{"condition": fault.M("rule.condition.invalid", "detail", iss.Err().Error())}
	}
	if ast.OutputType() != cel.BoolType {
		return nil, fault.Fields{"condition": fault.M("rule.condition.not_bool", "type", ast.OutputType().String())}
	}
	prg, err := env.Program(ast, cel.CostLimit(ruleCostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fault.Fields{"condition": fault.M("rule.condition.invalid", "detail", err.Error())}
	}
	return prg, nil
}

// CheckCondition says whether a condition compiles against the rule
// environment (the policy page's check before saving).
func CheckCondition(expr string) error {
	_, err := compileCondition(expr)
	return err
}

// matches evaluates one compiled condition. An evaluation that fails (the
// cost limit, a runtime error such as a division by zero) refuses the
// submission rather than skipping the rule: a skipped rule could be the
// strict one.
func matches(prg cel.Program, r Rule, f RuleFacts) (bool, error) {
	out, _, err := prg.Eval(f.activation())
	if err != nil {
		return false, fault.Wrap(fault.Refused, err, "rule.eval_failed", "rule", r.Name)
	}
	return out == types.True, nil
}

// firstMatch picks the first rule of rules whose condition holds for f,
// with the names of those before it that did not; the last rule of a
// policy (Otherwise) always holds.
func firstMatch(rules []Rule, progs []cel.Program, f RuleFacts) (Rule, []string, error) {
	var skipped []string
	for i, r := range rules {
		if r.Otherwise {
			return r, skipped, nil
		}
		ok, err := matches(progs[i], r, f)
		if err != nil {
			return Rule{}, nil, err
		}
		if ok {
			return r, skipped, nil
		}
		skipped = append(skipped, r.Name)
	}
	return Rule{}, skipped, errors.New("orders: no rule matched and no otherwise rule")
}

// EvaluateRules picks the rule of rules (ending with an Otherwise rule, as
// Policy.AllRules does) that decides an order with facts f. Every condition
// is compiled here; the service caches them per policy version.
func EvaluateRules(rules []Rule, f RuleFacts) (Rule, []string, error) {
	progs := make([]cel.Program, len(rules))
	for i, r := range rules {
		if r.Otherwise {
			continue
		}
		prg, err := compileCondition(r.Condition)
		if err != nil {
			return Rule{}, nil, err
		}
		progs[i] = prg
	}
	return firstMatch(rules, progs, f)
}

// ruleCache holds each policy version's compiled conditions: a condition
// compiles once per version of its policy, not at every submission.
type ruleCache struct {
	mu sync.Mutex
	m  map[[2]int64][]cel.Program
}

// ruleCacheMax bounds the cache; policies are few, so clearing it when
// full costs a recompile of each only.
const ruleCacheMax = 256

func (c *ruleCache) programs(p Policy) ([]cel.Program, error) {
	key := [2]int64{p.ID, int64(p.RulesVersion)}
	c.mu.Lock()
	progs, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return progs, nil
	}
	rules := p.AllRules()
	progs = make([]cel.Program, len(rules))
	for i, r := range rules {
		if r.Otherwise {
			continue
		}
		prg, err := compileCondition(r.Condition)
		if err != nil {
			// Saved conditions were checked when saved; one that no longer
			// compiles (a variable renamed since) refuses, naming the rule.
			return nil, fault.Wrap(fault.Refused, err, "rule.eval_failed", "rule", r.Name)
		}
		progs[i] = prg
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= ruleCacheMax {
		c.m = map[[2]int64][]cel.Program{}
	}
	c.m[key] = progs
	c.mu.Unlock()
	return progs, nil
}

// SpendReader tells rules what the budgets know of an order: the cost
// centre it is charged to and the budget left after it. The service reads
// the budgets (spendOfBudgets) unless a test sets another; nil: no cost
// centre, no budget.
type SpendReader interface {
	CostCentre(ctx context.Context, q db.DBTX, o Order) (string, error)
	// BudgetLeftAfter is the budget left, in fen, once this order is
	// counted; ok is false when no budget covers it.
	BudgetLeftAfter(ctx context.Context, q db.DBTX, o Order) (leftFen int64, ok bool, err error)
}

// WithSpend sets the reader of cost centres and budgets rules see.
func (s *Service) WithSpend(r SpendReader) *Service {
	c := *s
	c.spend = r
	return &c
}

// ruleFacts gathers the facts of o on q (the caller's transaction).
func (s *Service) ruleFacts(ctx context.Context, q db.DBTX, o Order) (RuleFacts, []int64, error) {
	f := RuleFacts{Product: string(o.Product), Action: o.Product.Spec().ActionName, AccountID: o.AccountID}
	paramFacts(o.Product, o.Params, &f)
	names, err := db.GetOrderNames(ctx, q, o.ID)
	if err != nil {
		return RuleFacts{}, nil, err
	}
	f.Account = names.AccountName
	est, err := db.GetOrderEstimate(ctx, q, o.ID)
	switch {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return RuleFacts{}, nil, err
	case est.Fen != nil:
		f.HasEstimate, f.EstimateFen, f.EstimateCNY = true, *est.Fen, float64(*est.Fen)/100
	}
	groups, err := db.ListUserGroups(ctx, q, o.RequesterID)
	if err != nil {
		return RuleFacts{}, nil, err
	}
	ids := make([]int64, len(groups))
	f.Groups = make([]string, len(groups))
	for i, g := range groups {
		ids[i], f.Groups[i] = g.ID, g.Name
	}
	if s.spend != nil {
		if f.CostCentre, err = s.spend.CostCentre(ctx, q, o); err != nil {
			return RuleFacts{}, nil, err
		}
		left, ok, err := s.spend.BudgetLeftAfter(ctx, q, o)
		if err != nil {
			return RuleFacts{}, nil, err
		}
		if ok {
			f.HasBudget, f.BudgetLeftFen, f.BudgetLeftCNY = true, left, float64(left)/100
		}
	}
	return f, ids, nil
}

// pickRule decides which rule of p holds o to, with why.
func (s *Service) pickRule(ctx context.Context, q db.DBTX, o Order, p Policy) (PinnedRule, error) {
	if !p.rulesLoaded {
		if err := loadRules(ctx, q, &p); err != nil {
			return PinnedRule{}, err
		}
	}
	f, groupIDs, err := s.ruleFacts(ctx, q, o)
	if err != nil {
		return PinnedRule{}, err
	}
	progs, err := s.rules.programs(p)
	if err != nil {
		return PinnedRule{}, err
	}
	r, skipped, err := firstMatch(p.AllRules(), progs, f)
	if err != nil {
		return PinnedRule{}, err
	}
	return PinnedRule{Rule: r, PolicyID: p.ID, RulesVersion: p.RulesVersion, RequesterGroupIDs: groupIDs, Facts: f, Skipped: skipped}, nil
}

// pinnedRule reads the rule o was pinned to at its submission. An order
// without one (never submitted) is held to what its policy says now.
func (s *Service) pinnedRule(ctx context.Context, q db.DBTX, o Order) (PinnedRule, bool, error) {
	_, raw, err := db.GetOrderApprovalRule(ctx, q, o.ID)
	if errors.Is(err, db.ErrNotFound) {
		return PinnedRule{}, false, nil
	}
	if err != nil {
		return PinnedRule{}, false, err
	}
	var pr PinnedRule
	if err := json.Unmarshal(raw, &pr); err != nil {
		return PinnedRule{}, false, fmt.Errorf("orders: the pinned rule of order %d: %w", o.ID, err)
	}
	return pr, true, nil
}

// pin fixes the rule o is held to from now on.
func pin(ctx context.Context, q db.DBTX, o Order, pr PinnedRule) ([]byte, error) {
	raw, err := json.Marshal(pr)
	if err != nil {
		return nil, fmt.Errorf("orders: encode the rule of order %d: %w", o.ID, err)
	}
	return raw, db.PinOrderApprovalRule(ctx, q, o.ID, o.Version, raw)
}

// RuleLabel names a rule for the audit log ("2 Big purchases", "otherwise").
func RuleLabel(r Rule) string {
	if r.Otherwise {
		return "otherwise"
	}
	return strconv.Itoa(r.Position) + " " + r.Name
}

// spendOfBudgets is the SpendReader of the budgets (budget.go): the
// order's cost centre, and the budget left after it (LeftAfter, which in a
// transaction locks the order's budgets until it ends, so a submission's
// rule reads the same amounts an approval's budget guard would).
type spendOfBudgets struct{}

func (spendOfBudgets) CostCentre(ctx context.Context, q db.DBTX, o Order) (string, error) {
	ccs, err := db.ListOrderCostCentres(ctx, q, []int64{o.ID})
	return ccs[o.ID].Name, err
}

func (spendOfBudgets) BudgetLeftAfter(ctx context.Context, q db.DBTX, o Order) (int64, bool, error) {
	left, _, ok, err := LeftAfter(ctx, q, o)
	return left, ok, err
}
