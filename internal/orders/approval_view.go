package orders

import (
	"context"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
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
	names, err := db.GetOrderNames(ctx, s.pool, id)
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
			Current: r.Version == o.Version && r.ParamsSHA256 == o.ParamsSHA256 && sameFen(r.EstimateFen, st.Estimate.Total),
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
	st.ApproveBuys = st.CanDecide && st.Policy.AutoSend && st.Approvals+1 >= st.Policy.RequiredApprovers
	st.CanSubmit = o.Status == StatusDraft && st.IsRequester && a.Has(auth.RoleRequester)
	st.CanWithdraw = pending && st.IsRequester
	st.CanCancel = (st.IsRequester || a.Has(auth.RoleAdmin)) && CheckTransition(o.Status, StatusCancelled) == nil
	return st, nil
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

// Inbox lists the orders waiting for the actor's decision, oldest first:
// pending, not theirs, and not yet decided by them at the current version.
func (s *Service) Inbox(ctx context.Context, a Actor, limit int) ([]InboxItem, error) {
	if !a.Has(auth.RoleApprover) {
		return nil, nil
	}
	rows, err := db.ListWaitingForApprover(ctx, s.pool, a.UserID, limit)
	if err != nil {
		return nil, err
	}
	policies, err := db.ListApprovalPolicies(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	out := make([]InboxItem, len(rows))
	for i, r := range rows {
		o := orderFrom(r.Order)
		out[i] = InboxItem{Order: o, RequesterName: r.RequesterName, AccountName: r.AccountName,
			Approvals: r.Approvals, Required: resolvePolicy(policies, o.Product, o.AccountID).RequiredApprovers}
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
	return db.CountWaitingForApprover(ctx, s.pool, a.UserID, WaitingCountCap)
}
