package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// EnqueueNotice queues a notification in tx, the transaction of the change
// it reports, so it is delivered if and only if the change commits: one
// job per channel (the policy's webhook, each person's e-mail), each with
// its row in the delivery log, so a failing channel is retried on its own
// and never holds up another.
func (q *Queue) EnqueueNotice(ctx context.Context, tx pgx.Tx, n orders.Notice) error {
	return q.enqueueNotice(ctx, tx, n, false, nil)
}

// NotifiesPeople says notices are worth building without a webhook: the
// console sends e-mail (orders.PeopleNotifier).
func (q *Queue) NotifiesPeople() bool { return q.mail.enabled() }

// enqueueNotice queues n's jobs; opts (a reminder's uniqueness) applies to
// each. A job River skips as a duplicate takes its delivery row back out.
func (q *Queue) enqueueNotice(ctx context.Context, tx pgx.Tx, n orders.Notice, reminder bool, opts *river.InsertOpts) error {
	notice, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("jobs: notice for order %d: %w", n.OrderID, err)
	}
	insert := func(d db.NewDelivery, args func(id int64) river.JobArgs) error {
		d.OrderID, d.Event, d.Notice, d.Reminder = n.OrderID, string(n.Event), notice, reminder
		id, err := db.InsertDelivery(ctx, tx, d)
		if err != nil {
			return err
		}
		res, err := q.client.InsertTx(ctx, tx, args(id), opts)
		if err != nil {
			return fmt.Errorf("jobs: queue %s notice for order %d: %w", n.Event, n.OrderID, err)
		}
		if res.UniqueSkippedAsDuplicate {
			return db.DeleteDelivery(ctx, tx, id)
		}
		return nil
	}
	if n.Webhook {
		err := insert(db.NewDelivery{Channel: db.ChannelWebhook, PolicyID: n.PolicyID}, func(id int64) river.JobArgs {
			return WebhookArgs{Notice: n, Reminder: reminder, DeliveryID: id}
		})
		if err != nil {
			return err
		}
	}
	if !q.mail.enabled() {
		return nil
	}
	people, err := db.NoticeRecipients(ctx, tx, RecipientsOf(n))
	if err != nil {
		return err
	}
	for _, p := range people {
		err := insert(db.NewDelivery{Channel: db.ChannelEmail, UserID: p.UserID}, func(id int64) river.JobArgs {
			return EmailArgs{Notice: n, Reminder: reminder, UserID: p.UserID, DeliveryID: id}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// RecipientsOf says whom an event concerns personally: a request's
// approvers when it needs approval; its requester when it is decided or
// sent; approvers and admins too when its outcome is unknown or the bill
// proposes one (someone must settle it). Nobody is told of their own
// decision.
func RecipientsOf(n orders.Notice) db.RecipientQuery {
	q := db.RecipientQuery{Event: string(n.Event)}
	if n.ActorID != 0 {
		q.Exclude = append(q.Exclude, n.ActorID)
	}
	switch n.Event {
	case orders.NoticeNeedsApproval:
		q.Roles = []string{string(auth.RoleApprover)}
		q.Exclude = append(q.Exclude, n.RequesterID)
	case orders.NoticeApprovalExpiring, orders.NoticeApprovalExpired, orders.NoticeDeliveryShortOfFunds:
		q.UserIDs = append([]int64{n.RequesterID}, n.ApproverIDs...)
	case orders.NoticeUnknown, orders.NoticeProposal:
		q.UserIDs = []int64{n.RequesterID}
		q.Roles = []string{string(auth.RoleApprover), string(auth.RoleAdmin)}
	default:
		q.UserIDs = []int64{n.RequesterID}
	}
	return q
}

// RequeueDelivery queues a delivery's job again in tx (an admin's resend,
// notify.Service.Resend): the same notice to the same channel.
func (q *Queue) RequeueDelivery(ctx context.Context, tx pgx.Tx, d db.Delivery) error {
	var n orders.Notice
	if err := json.Unmarshal(d.Notice, &n); err != nil {
		return fmt.Errorf("jobs: delivery %d's notice: %w", d.ID, err)
	}
	var args river.JobArgs
	switch d.Channel {
	case db.ChannelWebhook:
		if d.PolicyID == 0 {
			return fmt.Errorf("jobs: delivery %d's policy was deleted", d.ID)
		}
		n.PolicyID = d.PolicyID
		args = WebhookArgs{Notice: n, DeliveryID: d.ID}
	case db.ChannelEmail:
		if d.UserID == 0 {
			return fmt.Errorf("jobs: delivery %d's person was deleted", d.ID)
		}
		args = EmailArgs{Notice: n, UserID: d.UserID, DeliveryID: d.ID}
	default:
		return fmt.Errorf("jobs: delivery %d has channel %q", d.ID, d.Channel)
	}
	if _, err := q.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("jobs: requeue delivery %d: %w", d.ID, err)
	}
	return nil
}

// recordAttempt writes one attempt's end into the delivery log and returns
// err for River: delivered, retrying (River will try again) or failed
// (cancelled, or out of attempts). A log that cannot be written is logged,
// never a reason to deliver twice.
func recordAttempt(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, deliveryID int64, job *rivertype.JobRow, err error) error {
	if deliveryID == 0 {
		return err
	}
	status, code := db.DeliveryDelivered, ""
	if err != nil {
		// The log page shows the failure's kind only; its text, which may
		// name a host or quote the receiver, stays in the server's log.
		code = failureCode(err)
		var cancel *rivertype.JobCancelError
		status = db.DeliveryRetrying
		if errors.As(err, &cancel) || job == nil || job.Attempt >= job.MaxAttempts {
			status = db.DeliveryFailed
		}
		log.Warn("delivery attempt failed", "delivery_id", deliveryID, "status", status, "kind", code, "err", err)
	}
	rctx, done := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer done()
	if rerr := db.RecordDeliveryAttempt(rctx, pool, deliveryID, status, code); rerr != nil {
		log.Error("delivery log not written", "delivery_id", deliveryID, "status", status, "err", rerr)
	}
	return err
}
