package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// ApprovalState is an order's approval as one person sees it: progress,
// who decided what, what changed since they last looked, and what they may
// do now. The pages render it; the rules behind Can* live here, next to
// the checks the actions themselves make.
type ApprovalState struct {
	Order         Order
	RequesterName string
	// RequesterUsername and AccountDisabled complete the names for the
	// order page, which shows them beside the approval.
	RequesterUsername string
	AccountName       string
	AccountDisabled   bool
	Policy            Policy
	// Approvals counts distinct approvers of the current version and hash
	// at the current estimate.
	Approvals int
	// Estimate is the order's estimate as stored: what an approval approves.
	Estimate Estimate
	// Decisions lists every decision on every version, oldest first.
	Decisions []DecisionRecord
	// Mine is the viewer's decision on the current version, if any.
	Mine *DecisionRecord
	// Baseline is the version Changes compare the current one with: the
	// last one the viewer decided on, else the last one submitted before
	// this. Zero when there is nothing to compare with.
	Baseline int
	// BaselineIsMine is true when the viewer decided on Baseline.
	BaselineIsMine bool
	Changes        []Change
	// Duplicates are the orders that may already buy what this one buys
	// (Service.Duplicates); approving it then needs NotDuplicate.
	Duplicates []Duplicate
	// Rule is the rule the order is held to (pinned at submission) and
	// why; nil for an order never submitted. Stages lay it out with who
	// approved in each; CurrentStage indexes the one waiting (len(Stages)
	// when all are done).
	Rule         *PinnedRule
	Stages       []StageView
	CurrentStage int
	// ApprovalExpires is when the approval of an approved order stops
	// counting under its rule (zero: it does not expire).
	ApprovalExpires time.Time
	// CannotDecide is why the viewer, an approver, may not decide in the
	// current stage (another group's stage, separation of duties); zero
	// when they may or are not asked.
	CannotDecide fault.Msg

	IsRequester bool
	CanDecide   bool // approve or reject the current version
	// ApproveBuys is true when the viewer's approval would complete the
	// order and its policy sends at once: approving is buying, so the
	// page says "Approve and buy" and asks the purchase's confirmation.
	ApproveBuys bool
	CanSubmit   bool
	CanWithdraw bool
	CanCancel   bool
}

// DecisionRecord is one decision as the pages list it.
type DecisionRecord struct {
	ApproverID   int64
	ApproverName string
	Decision     Decision
	Comment      string
	Version      int
	ParamsSHA256 string
	DecidedAt    time.Time
	// Current is true when the decision is on the order's current version
	// and hash, so it counts.
	Current bool
	// Stage is the stage of the rule the decision counted in.
	Stage int
}

// ApprovalState reads an order's approval state for the actor.
func (s *Service) ApprovalState(ctx context.Context, a Actor, id int64) (ApprovalState, error) {
	o, err := s.Get(ctx, id)
	if err != nil {
		return ApprovalState{}, err
	}
	return s.ApprovalStateOf(ctx, a, o)
}

// ApprovalStateOf is ApprovalState for an order the caller has just read
// (the order page), so the page reads the order once.
func (s *Service) ApprovalStateOf(ctx context.Context, a Actor, o Order) (ApprovalState, error) {
	id := o.ID
	st := ApprovalState{Order: o, IsRequester: o.RequesterID == a.UserID}
	names, err := db.GetApprovalContext(ctx, s.pool, id, a.UserID)
	if err != nil {
		return ApprovalState{}, err
	}
	st.RequesterName, st.AccountName = names.RequesterName, names.AccountName
	st.RequesterUsername, st.AccountDisabled = names.RequesterUsername, names.AccountDisabled
	if st.Policy, err = s.PolicyFor(ctx, o.Product, o.AccountID); err != nil {
		return ApprovalState{}, err
	}
	if st.Estimate, err = s.EstimateFor(ctx, id); err != nil {
		return ApprovalState{}, err
	}
	rows, err := db.ListApprovals(ctx, s.pool, id)
	if err != nil {
		return ApprovalState{}, err
	}
	counted := map[int64]bool{}
	lastMine, mine := 0, -1
	for _, r := range rows {
		d := DecisionRecord{
			ApproverID: r.ApproverID, ApproverName: r.ApproverName, Decision: Decision(r.Decision),
			Comment: r.Comment, Version: r.Version, ParamsSHA256: r.ParamsSHA256, DecidedAt: r.DecidedAt,
			Current: r.Version == o.Version && r.ParamsSHA256 == o.ParamsSHA256 && sameFen(r.EstimateFen, st.Estimate.Total) &&
				r.Round == o.ApprovalRound,
			Stage: r.Stage,
		}
		st.Decisions = append(st.Decisions, d)
		if d.Current && d.Decision == DecisionApprove {
			counted[d.ApproverID] = true
		}
		if r.ApproverID == a.UserID {
			if d.Current {
				mine = len(st.Decisions) - 1
			} else if r.Version < o.Version && r.Version > lastMine {
				lastMine = r.Version
			}
		}
	}
	if mine >= 0 {
		st.Mine = &st.Decisions[mine]
	}
	st.Approvals = len(counted)
	if err := s.fillChanges(ctx, &st, lastMine); err != nil {
		return ApprovalState{}, err
	}
	if st.Duplicates, err = s.Duplicates(ctx, o); err != nil {
		return ApprovalState{}, err
	}

	pending := o.Status == StatusPendingApproval
	st.CanDecide = pending && a.Has(auth.RoleApprover) && !st.IsRequester && st.Mine == nil
	if err := s.fillRule(ctx, a, &st, rows, names); err != nil {
		return ApprovalState{}, err
	}
	st.CanSubmit = o.Status == StatusDraft && st.IsRequester && a.Has(auth.RoleRequester)
	st.CanWithdraw = pending && st.IsRequester
	st.CanCancel = (st.IsRequester || a.Has(auth.RoleAdmin)) && CheckTransition(o.Status, StatusCancelled) == nil
	return st, nil
}

// fillRule lays out the rule the order is held to, its stages, and
// whether the viewer qualifies for the stage waiting.
func (s *Service) fillRule(ctx context.Context, a Actor, st *ApprovalState, rows []db.Approval, c db.ApprovalContext) error {
	o := st.Order
	if o.Status == StatusDraft {
		return nil
	}
	var pr PinnedRule
	switch {
	case c.PinnedRule != nil:
		if err := json.Unmarshal(c.PinnedRule, &pr); err != nil {
			return fmt.Errorf("orders: the pinned rule of order %d: %w", o.ID, err)
		}
	case o.Status != StatusPendingApproval:
		return nil
	default:
		var err error
		if pr, err = s.pickRule(ctx, s.pool, o, st.Policy); err != nil {
			return err
		}
	}
	st.Rule = &pr
	var counting []db.CountingApproval
	for _, r := range rows {
		if r.Version == o.Version && r.ParamsSHA256 == o.ParamsSHA256 && r.Decision == string(DecisionApprove) &&
			sameFen(r.EstimateFen, st.Estimate.Total) && r.Round == o.ApprovalRound {
			counting = append(counting, db.CountingApproval{ApproverID: r.ApproverID, Stage: r.Stage, DecidedAt: r.DecidedAt})
		}
	}
	counts, current := stageCounts(pr.Rule, counting, s.now())
	st.CurrentStage = current
	if o.Status == StatusApproved {
		st.ApprovalExpires, _ = approvalExpiry(pr.Rule, counting)
	}
	stageOf := map[int]int{}
	for i, d := range st.Decisions {
		stageOf[i] = d.Stage
	}
	st.Stages = stageViews(pr.Rule, counts, current, st.Decisions, stageOf)
	if !st.CanDecide || current >= len(pr.Stages) {
		return nil
	}
	if err := qualifies(a, o, pr, pr.Stages[current], c.ViewerGroups); err != nil {
		st.CanDecide = false
		if fe, ok := fault.As(err); ok {
			st.CannotDecide = fe.Msg
		}
	}
	// The viewer's approval buys at once when it completes the last stage
	// of a rule that sends on approval: the page asks for confirmation.
	st.ApproveBuys = st.CanDecide && pr.AutoSend && current == len(pr.Stages)-1 &&
		counts[current]+1 >= pr.Stages[current].Count
	return nil
}

// fillChanges picks the baseline version and lists what changed since.
func (s *Service) fillChanges(ctx context.Context, st *ApprovalState, lastMine int) error {
	if st.Order.Version == 1 {
		return nil
	}
	versions, err := db.ListOrderVersions(ctx, s.pool, st.Order.ID)
	if err != nil {
		return err
	}
	base := lastMine
	st.BaselineIsMine = base != 0
	if base == 0 {
		for _, v := range versions {
			if v.Version < st.Order.Version && !v.SubmittedAt.IsZero() {
				base = v.Version
			}
		}
	}
	var before, after *db.OrderVersion
	for i := range versions {
		switch versions[i].Version {
		case base:
			before = &versions[i]
		case st.Order.Version:
			after = &versions[i]
		}
	}
	if before == nil || after == nil {
		st.BaselineIsMine = false
		return nil
	}
	st.Baseline = base
	st.Changes = Diff(versionContent(*before), versionContent(*after))
	return nil
}

func versionContent(v db.OrderVersion) VersionContent {
	return VersionContent{Version: v.Version, AccountID: v.AccountID, Region: v.Region,
		Title: v.Title, Justification: v.Justification, Params: v.Params}
}

// InboxItem is an order waiting for the viewer's decision.
type InboxItem struct {
	Order         Order
	RequesterName string
	AccountName   string
	Approvals     int
	Required      int
}

// Inbox lists the orders waiting for the actor's decision now, oldest
// first: pending, not theirs, not yet decided by them at the current
// version and round, and in a stage they qualify for under the order's
// pinned rule. The query decides who qualifies, so the navigation's count
// (WaitingCount) is the same set.
func (s *Service) Inbox(ctx context.Context, a Actor, limit int) ([]InboxItem, error) {
	if !a.Has(auth.RoleApprover) {
		return nil, nil
	}
	rows, err := db.ListWaitingForApprover(ctx, s.pool, a.UserID, a.Has(auth.RoleAdmin), limit)
	if err != nil {
		return nil, err
	}
	policies, err := db.ListApprovalPolicies(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, 0, len(rows))
	for _, r := range rows {
		o := orderFrom(r.Order)
		item := InboxItem{Order: o, RequesterName: r.RequesterName, AccountName: r.AccountName,
			Approvals: r.Approvals, Required: resolvePolicy(policies, o.Product, o.AccountID).RequiredApprovers}
		var pr PinnedRule
		if r.PinnedRule != nil && json.Unmarshal(r.PinnedRule, &pr) == nil && len(pr.Stages) > 0 {
			item.Required = pr.Required()
		}
		out = append(out, item)
	}
	return out, nil
}

// UnknownCount counts the orders whose outcome is unknown, for the
// navigation of those who settle them, from the kept counts (one row).
func (s *Service) UnknownCount(ctx context.Context) (int, error) {
	n, err := db.CountOrdersInStatus(ctx, s.pool, string(StatusUnknown))
	return int(n), err
}

// WaitingCountCap is where WaitingCount stops counting: pages show a count
// that reached it as "99+".
const WaitingCountCap = 100

// WaitingCount counts the actor's inbox, for the navigation, up to
// WaitingCountCap.
func (s *Service) WaitingCount(ctx context.Context, a Actor) (int, error) {
	if !a.Has(auth.RoleApprover) {
		return 0, nil
	}
	return db.CountWaitingForApprover(ctx, s.pool, a.UserID, a.Has(auth.RoleAdmin), WaitingCountCap)
}
