package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// ApprovalRule is one stored rule of a policy, with its stages (migration 026).
type ApprovalRule struct {
	ID                      int64
	PolicyID                int64
	Position                int
	Name                    string
	Condition               string
	AutoSend                bool
	SeparateRequesterGroups bool
	ExcludeAdmins           bool
	// ValidForSeconds 0: approvals stay valid until the send.
	ValidForSeconds int
	Stages          []RuleStage
}

// RuleStage is one stage of a rule: Count approvals from GroupID, or from
// anyone with the approver role when GroupID is 0.
type RuleStage struct {
	GroupID   int64
	GroupName string
	Count     int
}

// ApprovalRuleInput is what an admin sets on a rule.
type ApprovalRuleInput struct {
	Name                    string
	Condition               string
	AutoSend                bool
	SeparateRequesterGroups bool
	ExcludeAdmins           bool
	ValidForSeconds         int
	Stages                  []RuleStage
}

// CountingApproval is an approval that counts now, with its stage.
type CountingApproval struct {
	ApproverID int64
	Stage      int
	DecidedAt  time.Time
}

// ListApprovalRules reads a policy's rules in order, with their stages.
func ListApprovalRules(ctx context.Context, q DBTX, policyID int64) ([]ApprovalRule, error) {
	rows, err := queries.ListApprovalRules(ctx, q, policyID)
	if err != nil {
		return nil, fmt.Errorf("db: list rules of policy %d: %w", policyID, Translate(err))
	}
	stages, err := queries.ListApprovalRuleStages(ctx, q, policyID)
	if err != nil {
		return nil, fmt.Errorf("db: list rule stages of policy %d: %w", policyID, Translate(err))
	}
	byRule := map[int64][]RuleStage{}
	for _, s := range stages {
		byRule[s.RuleID] = append(byRule[s.RuleID], RuleStage{GroupID: s.GroupID, GroupName: s.GroupName, Count: int(s.Count)})
	}
	out := make([]ApprovalRule, len(rows))
	for i, r := range rows {
		out[i] = ApprovalRule{
			ID: r.ID, PolicyID: r.PolicyID, Position: int(r.Position), Name: r.Name, Condition: r.Condition,
			AutoSend: r.AutoSend, SeparateRequesterGroups: r.SeparateRequesterGroups, ExcludeAdmins: r.ExcludeAdmins,
			ValidForSeconds: int(deref(r.ValidForSeconds)), Stages: byRule[r.ID],
		}
	}
	return out, nil
}

// InsertApprovalRule appends a rule to a policy and returns its id.
func InsertApprovalRule(ctx context.Context, q DBTX, policyID int64, in ApprovalRuleInput) (int64, error) {
	pos, err := queries.NextApprovalRulePosition(ctx, q, policyID)
	if err != nil {
		return 0, fmt.Errorf("db: next rule position of policy %d: %w", policyID, Translate(err))
	}
	id, err := queries.InsertApprovalRule(ctx, q, sqlcgen.InsertApprovalRuleParams{
		PolicyID: policyID, Position: pos, Name: in.Name, Condition: in.Condition, AutoSend: in.AutoSend,
		SeparateRequesterGroups: in.SeparateRequesterGroups, ExcludeAdmins: in.ExcludeAdmins,
		ValidForSeconds: optional(int32Of(in.ValidForSeconds)),
	})
	if err != nil {
		return 0, fmt.Errorf("db: insert rule of policy %d: %w", policyID, Translate(err))
	}
	return id, insertStages(ctx, q, id, in.Stages)
}

// UpdateApprovalRule replaces a rule's settings and stages; ErrNotFound.
func UpdateApprovalRule(ctx context.Context, q DBTX, id int64, in ApprovalRuleInput) error {
	n, err := queries.UpdateApprovalRule(ctx, q, sqlcgen.UpdateApprovalRuleParams{
		ID: id, Name: in.Name, Condition: in.Condition, AutoSend: in.AutoSend,
		SeparateRequesterGroups: in.SeparateRequesterGroups, ExcludeAdmins: in.ExcludeAdmins,
		ValidForSeconds: optional(int32Of(in.ValidForSeconds)),
	})
	if err != nil {
		return fmt.Errorf("db: update rule %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: update rule %d: %w", id, ErrNotFound)
	}
	if err := queries.DeleteApprovalRuleStages(ctx, q, id); err != nil {
		return fmt.Errorf("db: replace stages of rule %d: %w", id, Translate(err))
	}
	return insertStages(ctx, q, id, in.Stages)
}

func insertStages(ctx context.Context, q DBTX, ruleID int64, stages []RuleStage) error {
	for i, s := range stages {
		if err := queries.InsertApprovalRuleStage(ctx, q, sqlcgen.InsertApprovalRuleStageParams{
			RuleID: ruleID, Position: int32Of(i + 1), GroupID: optional(s.GroupID), Count: int32Of(s.Count),
		}); err != nil {
			return fmt.Errorf("db: insert stage %d of rule %d: %w", i+1, ruleID, Translate(err))
		}
	}
	return nil
}

// GetApprovalRulePolicy returns the policy and position of a rule; ErrNotFound.
func GetApprovalRulePolicy(ctx context.Context, q DBTX, id int64) (policyID int64, position int, err error) {
	r, err := queries.GetApprovalRule(ctx, q, id)
	if err != nil {
		return 0, 0, fmt.Errorf("db: get rule %d: %w", id, Translate(err))
	}
	return r.PolicyID, int(r.Position), nil
}

// DeleteApprovalRule removes a rule and closes the gap it leaves.
func DeleteApprovalRule(ctx context.Context, q DBTX, id int64) error {
	policyID, pos, err := GetApprovalRulePolicy(ctx, q, id)
	if err != nil {
		return err
	}
	if _, err := queries.DeleteApprovalRule(ctx, q, id); err != nil {
		return fmt.Errorf("db: delete rule %d: %w", id, Translate(err))
	}
	if err := queries.CloseApprovalRuleGap(ctx, q, sqlcgen.CloseApprovalRuleGapParams{PolicyID: policyID, Position: int32Of(pos)}); err != nil {
		return fmt.Errorf("db: close the gap after rule %d: %w", id, Translate(err))
	}
	return nil
}

// SetApprovalRulePosition moves a rule; the uniqueness of positions is
// checked at commit, so two rules can swap in one transaction.
func SetApprovalRulePosition(ctx context.Context, q DBTX, id int64, position int) error {
	if err := queries.SetApprovalRulePosition(ctx, q, sqlcgen.SetApprovalRulePositionParams{ID: id, Position: int32Of(position)}); err != nil {
		return fmt.Errorf("db: move rule %d: %w", id, Translate(err))
	}
	return nil
}

// BumpPolicyRulesVersion marks a policy's rules changed; ErrNotFound.
func BumpPolicyRulesVersion(ctx context.Context, q DBTX, policyID int64) error {
	n, err := queries.BumpPolicyRulesVersion(ctx, q, policyID)
	if err != nil {
		return fmt.Errorf("db: bump rules version of policy %d: %w", policyID, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: bump rules version of policy %d: %w", policyID, ErrNotFound)
	}
	return nil
}

// GetOrderApprovalRule reads the rule an order was pinned to at its last
// submission (JSON, the orders package's shape); ErrNotFound when none.
func GetOrderApprovalRule(ctx context.Context, q DBTX, orderID int64) (version int, rule []byte, err error) {
	r, err := queries.GetOrderApprovalRule(ctx, q, orderID)
	if err != nil {
		return 0, nil, fmt.Errorf("db: get the rule of order %d: %w", orderID, Translate(err))
	}
	return int(r.Version), r.Rule, nil
}

// PinOrderApprovalRule fixes the rule an order is held to.
func PinOrderApprovalRule(ctx context.Context, q DBTX, orderID int64, version int, rule []byte) error {
	if err := queries.PinOrderApprovalRule(ctx, q, sqlcgen.PinOrderApprovalRuleParams{OrderID: orderID, Version: int32Of(version), Rule: rule}); err != nil {
		return fmt.Errorf("db: pin the rule of order %d: %w", orderID, Translate(err))
	}
	return nil
}

// ListCountingApprovals lists the approvals of this version and hash that
// count at the order's current estimate, oldest first.
func ListCountingApprovals(ctx context.Context, q DBTX, orderID int64, version int, hash string) ([]CountingApproval, error) {
	rows, err := queries.ListCountingApprovals(ctx, q, sqlcgen.ListCountingApprovalsParams{OrderID: orderID, Version: int32Of(version), ParamsSha256: hash})
	if err != nil {
		return nil, fmt.Errorf("db: list counting approvals of order %d: %w", orderID, Translate(err))
	}
	out := make([]CountingApproval, len(rows))
	for i, r := range rows {
		out[i] = CountingApproval{ApproverID: r.ApproverID, Stage: int(r.Stage), DecidedAt: r.DecidedAt}
	}
	return out, nil
}

// ApprovalContext is what an order's approval page reads beside the order
// in one statement: its names, its pinned rule (JSON, nil if none) and the
// viewer's groups.
type ApprovalContext struct {
	OrderNames
	PinnedRule   []byte
	ViewerGroups []GroupRef
}

// GetApprovalContext reads an order's ApprovalContext for viewer.
func GetApprovalContext(ctx context.Context, q DBTX, orderID, viewerID int64) (ApprovalContext, error) {
	r, err := queries.GetApprovalContext(ctx, q, sqlcgen.GetApprovalContextParams{ID: orderID, ViewerID: viewerID})
	if err != nil {
		return ApprovalContext{}, fmt.Errorf("db: approval context of order %d: %w", orderID, Translate(err))
	}
	out := ApprovalContext{
		OrderNames: OrderNames{RequesterName: r.RequesterName, RequesterUsername: r.RequesterUsername,
			AccountName: r.AccountName, AccountDisabled: r.AccountDisabled},
		PinnedRule: r.PinnedRule,
	}
	for i, id := range r.ViewerGroupIds {
		if i < len(r.ViewerGroupNames) {
			out.ViewerGroups = append(out.ViewerGroups, GroupRef{ID: id, Name: r.ViewerGroupNames[i]})
		}
	}
	return out, nil
}

// ListApprovedWithExpiry lists up to limit approved orders whose pinned
// rule lets approvals expire, by id.
func ListApprovedWithExpiry(ctx context.Context, q DBTX, limit int) ([]int64, error) {
	ids, err := queries.ListApprovedWithExpiry(ctx, q, int32Of(limit))
	if err != nil {
		return nil, fmt.Errorf("db: list approved orders whose approvals expire: %w", Translate(err))
	}
	return ids, nil
}

// LapseOrderApprovals starts a new approval round for an approved order
// whose approvals expired at expiredAt. It reports whether the order was
// still approved.
func LapseOrderApprovals(ctx context.Context, q DBTX, orderID int64, expiredAt time.Time) (bool, error) {
	n, err := queries.LapseOrderApprovals(ctx, q, sqlcgen.LapseOrderApprovalsParams{ID: orderID, ExpiredAt: expiredAt})
	if err != nil {
		return false, fmt.Errorf("db: lapse the approvals of order %d: %w", orderID, Translate(err))
	}
	return n == 1, nil
}

// InsertApprovalExpiryWarning records that the approval of an order's
// version and round is about to expire; false when it was already
// recorded (so nobody is told twice).
func InsertApprovalExpiryWarning(ctx context.Context, q DBTX, orderID int64, version, round int, expiresAt time.Time) (bool, error) {
	n, err := queries.InsertApprovalExpiryWarning(ctx, q, sqlcgen.InsertApprovalExpiryWarningParams{
		OrderID: orderID, Version: int32Of(version), Round: int32Of(round), ExpiresAt: expiresAt})
	if err != nil {
		return false, fmt.Errorf("db: record the expiry warning of order %d: %w", orderID, Translate(err))
	}
	return n == 1, nil
}
