package orders

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// Approval expiry (issue 17, part 4). A rule may say how long an approval
// stays valid. An order approved but not sent by then returns for approval
// at the same version: a new approval round begins (migration 028), in
// which its old approvals no longer count and the same people may approve
// again. Two paths return it, both under the order's row lock: the periodic
// pass (ExpireApprovals, the job queue's) and the sender's last look before
// a call (RecheckApproval), so an expired approval never buys even when the
// pass has not run yet. Before that, once per version and round, the pass
// tells the requester and the approvers that the approval expires soon.

// expiryPassMax bounds the orders one pass looks at; the next pass takes
// the rest.
const expiryPassMax = 500

// approvalExpiry says when the counting approvals of an order held to r
// stop being enough: each stage stays full until the approval that makes
// up its count (its count-th latest) expires, and the order's approval
// ends with the first stage to fall short. ok is false when r's approvals
// never expire. A stage already short has expired at its oldest approval
// (or at once, when it has none).
func approvalExpiry(r Rule, counting []db.CountingApproval) (expires time.Time, ok bool) {
	if r.ValidForSeconds <= 0 || len(r.Stages) == 0 {
		return time.Time{}, false
	}
	valid := time.Duration(r.ValidForSeconds) * time.Second
	for i, st := range r.Stages {
		var at []time.Time
		for _, c := range counting {
			if c.Stage == i+1 {
				at = append(at, c.DecidedAt)
			}
		}
		// Latest first: the count-th of them is the one that keeps the
		// stage full longest-but-one.
		slices.SortFunc(at, func(a, b time.Time) int { return b.Compare(a) })
		var end time.Time
		switch {
		case len(at) == 0:
			end = time.Time{}
		case len(at) < st.Count:
			end = at[len(at)-1].Add(valid)
		default:
			end = at[st.Count-1].Add(valid)
		}
		if i == 0 || end.Before(expires) {
			expires = end
		}
	}
	return expires, true
}

// warnAt is when the requester and approvers hear that an approval
// expiring at expires is about to: once four fifths of its validity have
// passed, so a week's approval warns a day and a half ahead and an hour's
// twelve minutes ahead.
func warnAt(r Rule, expires time.Time) time.Time {
	return expires.Add(-time.Duration(r.ValidForSeconds) * time.Second / 5)
}

// ExpiryPass is what one pass of ExpireApprovals did.
type ExpiryPass struct {
	// Returned are the orders sent back for approval, Warned those whose
	// people were told their approval expires soon.
	Returned []int64
	Warned   []int64
}

// ExpireApprovals is the periodic pass: every approved order whose
// approval has expired by now returns for approval, and those whose
// approval expires soon are warned about, once per version and round. Each
// order is judged under its own row lock in a transaction of its own, so a
// send taking it at the same moment either finds it approved and valid, or
// waits and finds it pending.
func (s *Service) ExpireApprovals(ctx context.Context, now time.Time) (ExpiryPass, error) {
	var pass ExpiryPass
	ids, err := db.ListApprovedWithExpiry(ctx, s.pool, expiryPassMax)
	if err != nil {
		return pass, err
	}
	for _, id := range ids {
		var returned, warned bool
		err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
			var err error
			returned, warned, err = s.judgeApproval(ctx, tx, o, now, true)
			return err
		})
		if err != nil {
			return pass, err
		}
		if returned {
			pass.Returned = append(pass.Returned, id)
		}
		if warned {
			pass.Warned = append(pass.Warned, id)
		}
	}
	return pass, nil
}

// RecheckApproval is the sender's look at an approved order o (locked in
// tx) just before it moves to sending: when its approval has expired, the
// order returns for approval in tx (the caller commits it) and ok is
// false, and nothing may be sent. n, when not nil, queues the notice.
func (s *Service) RecheckApproval(ctx context.Context, tx pgx.Tx, n Notifier, o Order) (ok bool, err error) {
	if n != nil {
		s = s.WithHooks(Hooks{Send: s.hooks.Send, Notify: n})
	}
	returned, _, err := s.judgeApproval(ctx, tx, o, s.now(), false)
	return !returned, err
}

// judgeApproval returns o to pending approval when its approval has
// expired by now, or (warn) tells its people when it expires soon.
func (s *Service) judgeApproval(ctx context.Context, tx pgx.Tx, o Order, now time.Time, warn bool) (returned, warned bool, err error) {
	if o.Status != StatusApproved {
		return false, false, nil
	}
	pr, pinned, err := s.pinnedRule(ctx, tx, o)
	if err != nil || !pinned || pr.ValidForSeconds <= 0 {
		return false, false, err
	}
	counting, err := db.ListCountingApprovals(ctx, tx, o.ID, o.Version, o.ParamsSHA256)
	if err != nil {
		return false, false, err
	}
	expires, _ := approvalExpiry(pr.Rule, counting)
	switch {
	case !now.Before(expires):
		return true, false, s.lapse(ctx, tx, o, pr, expires, counting)
	case warn && !now.Before(warnAt(pr.Rule, expires)):
		warned, err = s.warnExpiring(ctx, tx, o, pr, expires, counting)
		return false, warned, err
	}
	return false, false, nil
}

// lapse returns o, approved, to pending approval in a new round.
func (s *Service) lapse(ctx context.Context, tx pgx.Tx, o Order, pr PinnedRule, expires time.Time, counting []db.CountingApproval) error {
	if ok, err := db.LapseOrderApprovals(ctx, tx, o.ID, expires); err != nil || !ok {
		return err
	}
	next, err := s.Transition(ctx, tx, Actor{}, o, StatusPendingApproval, db.ActionOrderApprovalExpired, map[string]any{
		"expired_at": expires.UTC().Format(time.RFC3339), "valid_for_seconds": pr.ValidForSeconds,
		"rule": RuleLabel(pr.Rule), "round": o.ApprovalRound + 1,
	})
	if err != nil {
		return err
	}
	return s.tellPolicy(ctx, tx, s.hooks.Notify, next, NoticeApprovalExpired, Notice{
		ApproverIDs: approverIDs(counting), Expires: expires.UTC().Format("2006-01-02 15:04 UTC"),
	})
}

// warnExpiring records, once per version and round, that o's approval
// expires soon, and tells its requester and approvers.
func (s *Service) warnExpiring(ctx context.Context, tx pgx.Tx, o Order, pr PinnedRule, expires time.Time, counting []db.CountingApproval) (bool, error) {
	first, err := db.InsertApprovalExpiryWarning(ctx, tx, o.ID, o.Version, o.ApprovalRound, expires)
	if err != nil || !first {
		return false, err
	}
	if err := s.audit(ctx, tx, Actor{}, o, db.ActionOrderApprovalExpiring, map[string]any{
		"expires_at": expires.UTC().Format(time.RFC3339), "rule": RuleLabel(pr.Rule), "round": o.ApprovalRound,
	}); err != nil {
		return false, err
	}
	return true, s.tellPolicy(ctx, tx, s.hooks.Notify, o, NoticeApprovalExpiring, Notice{
		ApproverIDs: approverIDs(counting), Expires: expires.UTC().Format("2006-01-02 15:04 UTC"),
	})
}

func approverIDs(counting []db.CountingApproval) []int64 {
	out := make([]int64, 0, len(counting))
	for _, c := range counting {
		if !slices.Contains(out, c.ApproverID) {
			out = append(out, c.ApproverID)
		}
	}
	return out
}
