package orders

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Submit puts a draft before approvers. Only its requester may, and only at
// the version they were looking at: submitting something other than what
// they read would be approving blind from the other side.
func (s *Service) Submit(ctx context.Context, a Actor, id int64, version int) (Order, error) {
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		if o.RequesterID != a.UserID || !a.Has(auth.RoleRequester) {
			return forbidden("order.submit.own_only")
		}
		if o.Version != version {
			return changed(version, o.Version)
		}
		if o.Status != StatusDraft {
			return notNow(o, "submit")
		}
		// Priced again by the list in force: approvers approve the amount
		// as it stands when they are asked.
		if err := s.estimateOrder(ctx, tx, o); err != nil {
			return err
		}
		p, err := policyFor(ctx, tx, o.Product, o.AccountID)
		if err != nil {
			return err
		}
		// The rule is fixed now, for this submission: a later edit of the
		// policy does not move the bar for an order already in review.
		pr, err := s.pickRule(ctx, tx, o, p)
		if err != nil {
			return err
		}
		if _, err := pin(ctx, tx, o, pr); err != nil {
			return err
		}
		p.AutoSend, p.RequiredApprovers = pr.AutoSend, pr.Required()
		next, err := s.Transition(ctx, tx, a, o, StatusPendingApproval, db.ActionOrderSubmitted, map[string]any{
			"policy_id": p.ID, "required_approvers": p.RequiredApprovers,
			"rule": RuleLabel(pr.Rule), "rules_version": pr.RulesVersion, "stages": len(pr.Stages), "skipped": pr.Skipped,
		})
		if err != nil {
			return err
		}
		if err := db.MarkVersionSubmitted(ctx, tx, o.ID, o.Version); err != nil {
			return err
		}
		out = next
		approvals, err := db.CountApprovers(ctx, tx, o.ID, o.Version, o.ParamsSHA256)
		if err != nil {
			return err
		}
		return s.notify(ctx, tx, a, p, next, NoticeNeedsApproval, "", approvals)
	})
	return out, err
}

// Withdraw takes a pending order back to draft, for its requester. The
// decisions already made stay pinned to this version and hash: they count
// again if exactly this is submitted again, and not after an edit.
func (s *Service) Withdraw(ctx context.Context, a Actor, id int64) (Order, error) {
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		if o.RequesterID != a.UserID {
			return forbidden("order.withdraw.own_only")
		}
		// Checked here, not left to the state machine: approved → draft is
		// a legal move (an edit makes it), but withdrawing must not quietly
		// undo an approval that landed a moment ago.
		if o.Status != StatusPendingApproval {
			return notNow(o, "withdraw")
		}
		next, err := s.Transition(ctx, tx, a, o, StatusDraft, db.ActionOrderWithdrawn, nil)
		out = next
		return err
	})
	return out, err
}

// Cancel stops an order for good, from any state before sending. Its
// requester or an admin may. Whatever the person last saw, cancelling is
// what they asked for, so no version is checked; an order that has started
// sending can no longer be cancelled (the state machine refuses).
func (s *Service) Cancel(ctx context.Context, a Actor, id int64, reason string) (Order, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxCommentLen {
		return Order{}, fault.Fields{"reason": fault.M("order.reason.too_long", "max", strconv.Itoa(MaxCommentLen))}
	}
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		if o.RequesterID != a.UserID && !a.Has(auth.RoleAdmin) {
			return forbidden("order.cancel.who")
		}
		next, err := s.Transition(ctx, tx, a, o, StatusCancelled, db.ActionOrderCancelled, map[string]any{"reason": reason})
		out = next
		return err
	})
	return out, err
}

// locked runs fn in a transaction holding the order's row lock, so every
// check fn makes on o is still true when it writes.
func (s *Service) locked(ctx context.Context, id int64, fn func(tx pgx.Tx, o Order) error) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.Lock(ctx, tx, id)
		if err != nil {
			return err
		}
		return fn(tx, o)
	})
}

// changed refuses an action on a version that is no longer current.
func changed(seen, now int) error {
	return fault.New(fault.Stale, "order.changed", "seen", strconv.Itoa(seen), "now", strconv.Itoa(now))
}

// notNow refuses an action the order's status does not allow.
func notNow(o Order, what string) error {
	return conflict("order.not_now."+what, "status", strings.ToLower(o.Status.Label()))
}
