package orders

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// RuleInput is what an admin sets on a rule.
type RuleInput struct {
	Name                    string
	Condition               string
	Stages                  []Stage // GroupID 0: anyone with the approver role
	AutoSend                bool
	SeparateRequesterGroups bool
	ExcludeAdmins           bool
	ValidForSeconds         int
}

// Bounds on a rule's validity (migration 026 checks them too).
const (
	MinRuleValidSeconds = 60
	MaxRuleValidSeconds = 365 * 24 * 3600
)

// checkRule validates a rule's input: a condition that compiles and
// type-checks against the declared environment, stages from groups that
// exist.
func (s *Service) checkRule(ctx context.Context, q db.DBTX, in *RuleInput) error {
	in.Name, in.Condition = strings.TrimSpace(in.Name), strings.TrimSpace(in.Condition)
	fe := fault.Fields{}
	switch n := len([]rune(in.Name)); {
	case n == 0:
		fe.Set("name", "rule.name.missing")
	case n > MaxRuleNameLen:
		fe.Set("name", "text.too_long", "max", strconv.Itoa(MaxRuleNameLen))
	}
	switch {
	case in.Condition == "":
		fe.Set("condition", "rule.condition.missing")
	case len(in.Condition) > MaxRuleConditionLen:
		fe.Set("condition", "text.too_long", "max", strconv.Itoa(MaxRuleConditionLen))
	default:
		if err := CheckCondition(in.Condition); err != nil {
			cf, ok := fault.AsFields(err)
			if !ok {
				return err
			}
			fe["condition"] = cf["condition"]
		}
	}
	if len(in.Stages) == 0 || len(in.Stages) > MaxStagesPerRule {
		fe.Set("stages", "rule.stages.range", "max", strconv.Itoa(MaxStagesPerRule))
	}
	groups, err := db.ListApproverGroups(ctx, q)
	if err != nil {
		return err
	}
	for i := range in.Stages {
		st := &in.Stages[i]
		if st.Count < 1 || st.Count > MaxRequiredApprovers {
			fe.Set("stages", "rule.stages.count", "max", strconv.Itoa(MaxRequiredApprovers))
		}
		if st.GroupID == 0 {
			st.GroupName = ""
			continue
		}
		found := false
		for _, g := range groups {
			if g.ID == st.GroupID {
				st.GroupName, found = g.Name, true
			}
		}
		if !found {
			fe.Set("stages", "rule.stages.no_group")
		}
	}
	if in.ValidForSeconds != 0 && (in.ValidForSeconds < MinRuleValidSeconds || in.ValidForSeconds > MaxRuleValidSeconds) {
		fe.Set("valid_for", "rule.valid_for.range")
	}
	return fe.OrNil()
}

func ruleRow(in RuleInput) db.ApprovalRuleInput {
	out := db.ApprovalRuleInput{
		Name: in.Name, Condition: in.Condition, AutoSend: in.AutoSend, SeparateRequesterGroups: in.SeparateRequesterGroups,
		ExcludeAdmins: in.ExcludeAdmins, ValidForSeconds: in.ValidForSeconds,
	}
	for _, st := range in.Stages {
		out.Stages = append(out.Stages, db.RuleStage{GroupID: st.GroupID, Count: st.Count})
	}
	return out
}

func ruleDetails(in RuleInput) map[string]any {
	stages := make([]map[string]any, len(in.Stages))
	for i, st := range in.Stages {
		stages[i] = map[string]any{"group_id": st.GroupID, "group": st.GroupName, "count": st.Count}
	}
	return map[string]any{
		"name": in.Name, "condition": in.Condition, "stages": stages, "auto_send": in.AutoSend,
		"separate_requester_groups": in.SeparateRequesterGroups, "exclude_admins": in.ExcludeAdmins,
		"valid_for_seconds": in.ValidForSeconds,
	}
}

// SaveRule adds a rule at the end of a policy's rules (ruleID 0) or
// replaces one, bumping the policy's rules version, with its audit event.
func (s *Service) SaveRule(ctx context.Context, a Actor, policyID, ruleID int64, in RuleInput) (int64, error) {
	if !a.Has(auth.RoleAdmin) {
		return 0, forbidden("policy.admins_only")
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := db.GetApprovalPolicy(ctx, tx, policyID); err != nil {
			return err
		}
		if err := s.checkRule(ctx, tx, &in); err != nil {
			return err
		}
		action, details := db.ActionRuleCreated, ruleDetails(in)
		if ruleID == 0 {
			rules, err := db.ListApprovalRules(ctx, tx, policyID)
			if err != nil {
				return err
			}
			if len(rules) >= MaxRulesPerPolicy {
				return conflict("rule.too_many", "max", strconv.Itoa(MaxRulesPerPolicy))
			}
			if ruleID, err = db.InsertApprovalRule(ctx, tx, policyID, ruleRow(in)); err != nil {
				return err
			}
		} else {
			owner, _, err := db.GetApprovalRulePolicy(ctx, tx, ruleID)
			if err != nil {
				return err
			}
			if owner != policyID {
				return notFound("rule.not_found", db.ErrNotFound)
			}
			if err := db.UpdateApprovalRule(ctx, tx, ruleID, ruleRow(in)); err != nil {
				return err
			}
			action = db.ActionRuleUpdated
		}
		if err := db.BumpPolicyRulesVersion(ctx, tx, policyID); err != nil {
			return err
		}
		details["rule_id"] = ruleID
		return s.auditPolicy(ctx, tx, a, policyID, action, details)
	})
	if errors.Is(err, db.ErrNotFound) {
		return 0, notFound("rule.not_found", err)
	}
	return ruleID, err
}

// DeleteRule removes a rule of a policy.
func (s *Service) DeleteRule(ctx context.Context, a Actor, policyID, ruleID int64) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("policy.admins_only")
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		owner, pos, err := db.GetApprovalRulePolicy(ctx, tx, ruleID)
		if err != nil {
			return err
		}
		if owner != policyID {
			return db.ErrNotFound
		}
		if err := db.DeleteApprovalRule(ctx, tx, ruleID); err != nil {
			return err
		}
		if err := db.BumpPolicyRulesVersion(ctx, tx, policyID); err != nil {
			return err
		}
		return s.auditPolicy(ctx, tx, a, policyID, db.ActionRuleDeleted, map[string]any{"rule_id": ruleID, "position": pos})
	})
	if errors.Is(err, db.ErrNotFound) {
		return notFound("rule.not_found", err)
	}
	return err
}

// MoveRule swaps a rule with the one above it (up) or below it.
func (s *Service) MoveRule(ctx context.Context, a Actor, policyID, ruleID int64, up bool) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("policy.admins_only")
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rules, err := db.ListApprovalRules(ctx, tx, policyID)
		if err != nil {
			return err
		}
		i := -1
		for k, r := range rules {
			if r.ID == ruleID {
				i = k
			}
		}
		if i < 0 {
			return db.ErrNotFound
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j < 0 || j >= len(rules) {
			return nil // already first or last: nothing to move
		}
		if err := db.SetApprovalRulePosition(ctx, tx, rules[i].ID, rules[j].Position); err != nil {
			return err
		}
		if err := db.SetApprovalRulePosition(ctx, tx, rules[j].ID, rules[i].Position); err != nil {
			return err
		}
		if err := db.BumpPolicyRulesVersion(ctx, tx, policyID); err != nil {
			return err
		}
		return s.auditPolicy(ctx, tx, a, policyID, db.ActionRuleMoved, map[string]any{
			"rule_id": ruleID, "from": rules[i].Position, "to": rules[j].Position,
		})
	})
	if errors.Is(err, db.ErrNotFound) {
		return notFound("rule.not_found", err)
	}
	return err
}

// RuleTest is what the policy page's "test this rule" box shows: whether
// the condition holds for an existing order, with the facts it read, and
// which of the policy's rules would decide the order now.
type RuleTest struct {
	Matches bool
	Facts   RuleFacts
	// Decides is the rule of the policy that would hold the order if it
	// were submitted now.
	Decides Rule
}

// TestRule evaluates condition (a saved rule's, or one being written)
// against order orderID, without changing anything.
func (s *Service) TestRule(ctx context.Context, a Actor, policyID int64, condition string, orderID int64) (RuleTest, error) {
	if !a.Has(auth.RoleAdmin) {
		return RuleTest{}, forbidden("policy.admins_only")
	}
	prg, err := compileCondition(strings.TrimSpace(condition))
	if err != nil {
		return RuleTest{}, err
	}
	p, err := s.Policy(ctx, policyID)
	if err != nil {
		return RuleTest{}, err
	}
	o, err := s.Get(ctx, orderID)
	if err != nil {
		return RuleTest{}, fault.Fields{"order": fault.M("rule.test.no_order")}
	}
	f, _, err := s.ruleFacts(ctx, s.pool, o)
	if err != nil {
		return RuleTest{}, err
	}
	out := RuleTest{Facts: f}
	if out.Matches, err = matches(prg, Rule{Name: "test"}, f); err != nil {
		return RuleTest{}, err
	}
	progs, err := s.rules.programs(p)
	if err != nil {
		return RuleTest{}, err
	}
	if out.Decides, _, err = firstMatch(p.AllRules(), progs, f); err != nil {
		return RuleTest{}, err
	}
	return out, nil
}
