package orders

import (
	"context"
	"slices"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// stageCounts counts the approvals that count now in each stage of r, and
// says which stage is current: the first that still needs approvals
// (len(r.Stages) when every stage has what it needs). Approvals older than
// the rule's validity no longer count.
func stageCounts(r Rule, counting []db.CountingApproval, now time.Time) (counts []int, current int) {
	counts = make([]int, len(r.Stages))
	for _, c := range counting {
		if !approvalValid(r, c.DecidedAt, now) {
			continue
		}
		if i := c.Stage - 1; i >= 0 && i < len(counts) {
			counts[i]++
		}
	}
	current = len(r.Stages)
	for i, s := range r.Stages {
		if counts[i] < s.Count {
			current = i
			break
		}
	}
	return counts, current
}

// approvalValid says whether an approval given at decided is still valid
// under r.
func approvalValid(r Rule, decided, now time.Time) bool {
	return r.ValidForSeconds <= 0 || now.Before(decided.Add(time.Duration(r.ValidForSeconds)*time.Second))
}

// qualifies says whether the actor may decide in stage st of the pinned
// rule, or the refusal that says why not. groups are the actor's.
func qualifies(a Actor, o Order, pr PinnedRule, st Stage, groups []db.GroupRef) error {
	switch {
	case !a.Has(auth.RoleApprover):
		return forbidden("order.decide.approvers_only")
	case o.RequesterID == a.UserID:
		return forbidden("order.decide.own_order")
	case pr.ExcludeAdmins && a.Has(auth.RoleAdmin):
		return forbidden("rule.decide.admins_excluded")
	}
	if pr.SeparateRequesterGroups {
		for _, g := range groups {
			if slices.Contains(pr.RequesterGroupIDs, g.ID) {
				return fault.New(fault.Refused, "rule.decide.same_group", "group", g.Name)
			}
		}
	}
	if st.GroupID != 0 && !slices.ContainsFunc(groups, func(g db.GroupRef) bool { return g.ID == st.GroupID }) {
		return fault.New(fault.Refused, "rule.decide.not_in_group", "group", st.GroupName)
	}
	return nil
}

// ruleOf is the rule o is held to: pinned at its submission, else (an
// order pending since before rules were pinned, or a draft) what its
// policy gives now, evaluated on q.
func (s *Service) ruleOf(ctx context.Context, q db.DBTX, o Order, p Policy) (PinnedRule, error) {
	pr, ok, err := s.pinnedRule(ctx, q, o)
	if err != nil || ok {
		return pr, err
	}
	return s.pickRule(ctx, q, o, p)
}

// StageView is one stage of an order's rule as its page shows it.
type StageView struct {
	Stage
	Number    int
	Approvals int
	// Approvers are the names of those who approved in this stage.
	Approvers []string
	Done      bool
	Current   bool
}

// stageViews lays out the stages of r with who approved in each.
func stageViews(r Rule, counts []int, current int, decisions []DecisionRecord, stageOf map[int]int) []StageView {
	out := make([]StageView, len(r.Stages))
	for i, st := range r.Stages {
		out[i] = StageView{Stage: st, Number: i + 1, Approvals: counts[i], Done: counts[i] >= st.Count, Current: i == current}
	}
	for i, d := range decisions {
		if !d.Current || d.Decision != DecisionApprove {
			continue
		}
		if n := stageOf[i] - 1; n >= 0 && n < len(out) {
			out[n].Approvers = append(out[n].Approvers, d.ApproverName)
		}
	}
	return out
}
