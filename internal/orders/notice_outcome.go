package orders

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// outcomeEvents are the statuses a send ends in that someone must hear of.
var outcomeEvents = map[Status]NoticeEvent{
	StatusSucceeded:       NoticeSucceeded,
	StatusFailed:          NoticeFailed,
	StatusUnknown:         NoticeUnknown,
	StatusAwaitingPayment: NoticeAwaitingPayment,
}

// NotifyOutcome queues, in tx (the transaction that records the outcome),
// the notice of the status o has just reached, if it is an outcome and
// the order's policy has a webhook. So a notice goes out if and only if
// the outcome commits. n nil tells no one.
func (s *Service) NotifyOutcome(ctx context.Context, tx pgx.Tx, n Notifier, o Order, sent SendOutcome) error {
	ev, ok := outcomeEvents[o.Status]
	if n == nil || !ok {
		return nil
	}
	notice := Notice{DealNames: sent.DealNames, InstanceIDs: sent.InstanceIDs}
	if ev != NoticeSucceeded {
		notice.Explanation, notice.ErrorCode = sent.ErrorMessage, sent.ErrorCode
	}
	return s.tellPolicy(ctx, tx, n, o, ev, notice)
}

// NotifyProposal queues, in tx (the one that records a bill lookup), the
// notice that the bill proposes a settlement of unknown order o: bought
// (with its deals) or not bought, with the lookup's reason. A person
// confirms it; the settlement is then told as an outcome.
func (s *Service) NotifyProposal(ctx context.Context, tx pgx.Tx, n Notifier, o Order, proposal string, deals []string, reason string) error {
	if n == nil {
		return nil
	}
	return s.tellPolicy(ctx, tx, n, o, NoticeProposal, Notice{Proposal: proposal, DealNames: deals, Explanation: reason})
}

// tellPolicy completes notice with the order's facts and queues it if the
// order's policy has a webhook or people are told.
func (s *Service) tellPolicy(ctx context.Context, tx pgx.Tx, n Notifier, o Order, ev NoticeEvent, notice Notice) error {
	p, err := policyFor(ctx, tx, o.Product, o.AccountID)
	if err != nil {
		return err
	}
	if !listens(n, p) {
		return nil
	}
	names, err := db.GetOrderNames(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	notice.Webhook, notice.RequesterID = p.WebhookURL != "", o.RequesterID
	notice.Event, notice.PolicyID, notice.OrderID, notice.Version, notice.ParamsSHA256 = ev, p.ID, o.ID, o.Version, o.ParamsSHA256
	notice.Product, notice.Title, notice.AccountName, notice.RequesterName = o.Product, o.Title, names.AccountName, names.RequesterName
	notice.ActorName, notice.Required = "Dealdesk", p.RequiredApprovers
	if err := n.EnqueueNotice(ctx, tx, notice); err != nil {
		return fmt.Errorf("orders: queue the %s notice of order %d: %w", ev, o.ID, err)
	}
	return nil
}
