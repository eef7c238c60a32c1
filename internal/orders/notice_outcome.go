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
	p, err := policyFor(ctx, tx, o.Product, o.AccountID)
	if err != nil {
		return err
	}
	if p.WebhookURL == "" {
		return nil
	}
	names, err := db.GetOrderNames(ctx, tx, o.ID)
	if err != nil {
		return err
	}
	notice := Notice{
		Event: ev, PolicyID: p.ID, OrderID: o.ID, Version: o.Version, ParamsSHA256: o.ParamsSHA256,
		Product: o.Product, Title: o.Title, AccountName: names.AccountName, RequesterName: names.RequesterName,
		ActorName: "Dealdesk", Required: p.RequiredApprovers,
		DealNames: sent.DealNames, InstanceIDs: sent.InstanceIDs,
	}
	if ev != NoticeSucceeded {
		notice.Explanation, notice.ErrorCode = sent.ErrorMessage, sent.ErrorCode
	}
	if err := n.EnqueueNotice(ctx, tx, notice); err != nil {
		return fmt.Errorf("orders: queue the %s notice of order %d: %w", ev, o.ID, err)
	}
	return nil
}
