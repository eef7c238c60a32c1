package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// MaxCommentLen bounds decision comments and cancel reasons (the database
// checks it too).
const MaxCommentLen = 2000

// Decision is an approver's answer.
type Decision string

// The two answers.
const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// ApproveOptions are what an approver confirms besides the comment.
type ApproveOptions struct {
	// NotDuplicate is the box "I have checked this is not a duplicate". It
	// is required when other orders may already buy the same (Duplicates,
	// found again at decision time), and the approval records which.
	NotDuplicate bool
	// Shown are the matching orders the approver was shown. When not nil,
	// a match found at decision time that is not among them refuses the
	// approval: they cannot have checked it.
	Shown []int64
	// Estimate is the estimate the approver was shown (Estimate.String(),
	// "no estimate" included). When not empty and the order's estimate is
	// now another amount, the approval is refused: they approved a price
	// that is no longer the order's.
	Estimate string
	// AskBeforeBuying refuses (ErrApprovalBuys) an approval that would
	// complete an order whose policy sends at once: the page then shows
	// the purchase's confirmation, and approves only from there. It is
	// decided under the order's lock, so another approver's approval in
	// the meantime cannot turn a plain approval into an unconfirmed buy.
	AskBeforeBuying bool
}

// ErrApprovalBuys is the refusal of an approval that would buy without the
// confirmation AskBeforeBuying asks for (errors.Is matches it by key).
var ErrApprovalBuys = fault.New(fault.Refused, "order.approve.confirm_purchase")

// Approve records the actor's approval of exactly the version and parameter
// hash they saw. When the order then has as many distinct approvers of that
// version as its policy requires, it becomes approved in the same
// transaction, and if the policy sends automatically the send is queued in
// it too. An order that other orders may duplicate needs opts.NotDuplicate.
// The returned order is as it stands after the decision.
func (s *Service) Approve(ctx context.Context, a Actor, id int64, version int, hash, comment string, opts ApproveOptions) (Order, error) {
	return s.decide(ctx, a, id, version, hash, DecisionApprove, comment, opts)
}

// Reject records the actor's rejection, with its reason, of the version and
// hash they saw; the order becomes rejected. One rejection is enough.
func (s *Service) Reject(ctx context.Context, a Actor, id int64, version int, hash, comment string) (Order, error) {
	return s.decide(ctx, a, id, version, hash, DecisionReject, comment, ApproveOptions{})
}

func (s *Service) decide(ctx context.Context, a Actor, id int64, version int, hash string, d Decision, comment string, opts ApproveOptions) (Order, error) {
	if !a.Has(auth.RoleApprover) {
		return Order{}, forbidden("order.decide.approvers_only")
	}
	comment = strings.TrimSpace(comment)
	switch {
	case d == DecisionReject && comment == "":
		return Order{}, fault.Fields{"comment": fault.M("order.reject.reason_missing")}
	case len([]rune(comment)) > MaxCommentLen:
		return Order{}, fault.Fields{"comment": fault.M("order.comment.too_long", "max", strconv.Itoa(MaxCommentLen))}
	}
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		// The requester never decides, whatever the policy says; the
		// database refuses it as well.
		if o.RequesterID == a.UserID {
			return forbidden("order.decide.own_order")
		}
		if o.Version != version || o.ParamsSHA256 != hash {
			return changed(version, o.Version)
		}
		if o.Status != StatusPendingApproval {
			return notNow(o, "decide")
		}
		if d == DecisionApprove && opts.Estimate != "" {
			if err := s.checkEstimateSeen(ctx, tx, o.ID, opts.Estimate); err != nil {
				return err
			}
		}
		// The matches are found again in this transaction, under the
		// order's lock: what the page showed may be out of date.
		var checked []int64
		var budget map[string]any
		if d == DecisionApprove {
			dups, err := s.duplicates(ctx, tx, o.ID, o.Product, o.AccountID, o.PurchaseKey())
			if err != nil {
				return err
			}
			if err := checkNotDuplicate(dups, opts); err != nil {
				return err
			}
			checked = duplicateIDs(dups)
			// The budget's counts are taken under its row lock, held to
			// the end of this transaction: approvals of orders sharing a
			// budget take turns, so together they cannot over-commit it.
			if budget, err = budgetGuard(ctx, tx, o); err != nil {
				return err
			}
		}
		p, err := policyFor(ctx, tx, o.Product, o.AccountID)
		if err != nil {
			return err
		}
		pr, counts, current, ruleJSON, err := s.decisionStage(ctx, tx, a, o, p)
		if err != nil {
			return err
		}
		stage := pr.Stages[current]
		_, err = db.InsertApproval(ctx, tx, db.NewApproval{
			OrderID: o.ID, Version: o.Version, ParamsSHA256: o.ParamsSHA256,
			ApproverID: a.UserID, Decision: string(d), Comment: comment, DuplicatesChecked: checked,
			Stage: current + 1, Rule: ruleJSON,
		})
		if errors.Is(err, db.ErrConflict) {
			return fault.Wrap(fault.Conflict, err, "order.decide.already")
		}
		if err != nil {
			return err
		}
		// What the pinned rule says, not what the policy says now.
		p.AutoSend, p.RequiredApprovers = pr.AutoSend, pr.Required()
		if d == DecisionReject {
			out, err = s.Transition(ctx, tx, a, o, StatusRejected, db.ActionOrderRejected, map[string]any{
				"comment": comment, "rule": RuleLabel(pr.Rule), "stage": current + 1,
			})
			if err != nil {
				return err
			}
			return s.notify(ctx, tx, a, p, out, NoticeRejected, comment, 0)
		}
		counts[current]++
		approvals := 0
		for _, n := range counts {
			approvals += n
		}
		stageDone := counts[current] >= stage.Count
		if err := s.audit(ctx, tx, a, o, db.ActionOrderApprovalGiven, map[string]any{
			"comment": comment, "approvals": approvals, "required_approvers": p.RequiredApprovers, "policy_id": p.ID,
			"duplicates_checked": checked, "budget": budget, "rule": RuleLabel(pr.Rule), "stage": current + 1,
			"stages": len(pr.Stages), "stage_done": stageDone,
		}); err != nil {
			return err
		}
		out = o
		if !stageDone || current+1 < len(pr.Stages) {
			return nil
		}
		if opts.AskBeforeBuying && p.AutoSend && s.hooks.Send != nil {
			// Rolled back with the approval itself: nothing is recorded.
			return ErrApprovalBuys
		}
		return s.approve(ctx, tx, a, o, p, approvals, comment, &out)
	})
	return out, err
}

// decisionStage finds the rule o is held to and the stage waiting, and
// checks that the actor qualifies for it. It runs under the order's row
// lock: a second approver's transaction waits for this one and sees its
// approval, so nobody is counted twice and no stage is skipped.
func (s *Service) decisionStage(ctx context.Context, tx pgx.Tx, a Actor, o Order, p Policy) (PinnedRule, []int, int, []byte, error) {
	pr, err := s.ruleOf(ctx, tx, o, p)
	if err != nil {
		return PinnedRule{}, nil, 0, nil, err
	}
	counting, err := db.ListCountingApprovals(ctx, tx, o.ID, o.Version, o.ParamsSHA256)
	if err != nil {
		return PinnedRule{}, nil, 0, nil, err
	}
	counts, current := stageCounts(pr.Rule, counting, s.now())
	if current >= len(pr.Stages) {
		// Every stage is full but the order is still pending: its
		// approvals are being counted again (an expiry), so the last
		// stage takes the decision.
		current = len(pr.Stages) - 1
	}
	groups, err := db.ListUserGroups(ctx, tx, a.UserID)
	if err != nil {
		return PinnedRule{}, nil, 0, nil, err
	}
	if err := qualifies(a, o, pr, pr.Stages[current], groups); err != nil {
		return PinnedRule{}, nil, 0, nil, err
	}
	ruleJSON, err := json.Marshal(pr)
	if err != nil {
		return PinnedRule{}, nil, 0, nil, fmt.Errorf("orders: encode the rule of order %d: %w", o.ID, err)
	}
	return pr, counts, current, ruleJSON, nil
}

// approve moves an order that has enough approvals to approved and, if the
// policy says so, queues its send, all in the caller's transaction.
func (s *Service) approve(ctx context.Context, tx pgx.Tx, a Actor, o Order, p Policy, approvals int, comment string, out *Order) error {
	queue := p.AutoSend && s.hooks.Send != nil
	next, err := s.Transition(ctx, tx, a, o, StatusApproved, db.ActionOrderApproved, map[string]any{
		"approvals": approvals, "required_approvers": p.RequiredApprovers, "policy_id": p.ID,
		"auto_send": p.AutoSend, "send_queued": queue,
	})
	if err != nil {
		return err
	}
	*out = next
	if queue {
		if err := s.hooks.Send.EnqueueSend(ctx, tx, next); err != nil {
			return fmt.Errorf("orders: queue the send of order %d: %w", next.ID, err)
		}
	}
	return s.notify(ctx, tx, a, p, next, NoticeApproved, comment, approvals)
}

// notify queues the notice, in tx, if anyone listens: the policy's
// webhook, or people by e-mail.
func (s *Service) notify(ctx context.Context, tx pgx.Tx, a Actor, p Policy, o Order, ev NoticeEvent, comment string, approvals int) error {
	if !listens(s.hooks.Notify, p) {
		return nil
	}
	names, err := db.GetOrderNames(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	actor, err := db.GetUser(ctx, tx, a.UserID)
	if err != nil {
		return err
	}
	n := Notice{
		Event: ev, PolicyID: p.ID, Webhook: p.WebhookURL != "", OrderID: o.ID, RequesterID: o.RequesterID, ActorID: a.UserID, Version: o.Version, ParamsSHA256: o.ParamsSHA256,
		Product: o.Product, Title: o.Title, Summary: o.Summary().Text(), AccountName: names.AccountName, RequesterName: names.RequesterName,
		ActorName: actor.DisplayName, Comment: comment, Approvals: approvals, Required: p.RequiredApprovers,
	}
	if err := s.hooks.Notify.EnqueueNotice(ctx, tx, n); err != nil {
		return fmt.Errorf("orders: queue the %s notice of order %d: %w", ev, o.ID, err)
	}
	return nil
}
