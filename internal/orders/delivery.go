package orders

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Delivery on a date (issue 17, part 5). An order may say when it is to be
// bought: on or after DeliverAt. The date is when, not what: what the
// approvers approve is the request (its version, hash and estimate), and
// setting or clearing the date keeps them, so a requester who learns the
// purchase should wait for the month's end does not send it through
// approval again. The approval page shows the date, so approvers see it.
//
// Sending an approved order with a date still ahead queues its send job
// for that time (jobs.EnqueueSend, River's ScheduledAt) instead of now.
// At that time the sender checks everything again under the order's lock,
// as for any send: still approved at the same version and hash, the
// approval not expired, the estimate unchanged by the price list in force
// then. What fails returns the order for approval, with its audit event
// and notice, and nothing is sent. Until the job starts, the delivery may
// be cancelled: the job is taken back and the order stays approved,
// without a date, for someone to send now or on another date.

// MaxDeliveryAhead bounds how far ahead a delivery may be asked for.
const MaxDeliveryAhead = 366 * 24 * time.Hour

// MayScheduleDelivery reports whether a may set or cancel o's delivery
// date: those who may send it.
func MayScheduleDelivery(a Actor, o Order) bool { return MaySend(a, o) }

// SetDelivery sets when order id is to be bought (a zero at clears it).
// It is refused once a send is queued (cancel that first) and for orders
// past being sent.
func (s *Service) SetDelivery(ctx context.Context, a Actor, id int64, at time.Time) (Order, error) {
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		if !MayScheduleDelivery(a, o) {
			return forbidden("delivery.who")
		}
		if !o.Status.Editable() {
			return notNow(o, "delivery")
		}
		now := s.now()
		switch {
		case at.IsZero():
		case !at.After(now):
			return fault.Fields{"deliver_at": fault.M("delivery.past")}
		case at.Sub(now) > MaxDeliveryAhead:
			return fault.Fields{"deliver_at": fault.M("delivery.too_far")}
		}
		waiting, err := db.SendJobWaiting(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if waiting {
			return conflict("delivery.send_queued")
		}
		var next *time.Time
		action, details := db.ActionOrderDeliveryCleared, map[string]any{}
		if !at.IsZero() {
			utc := at.UTC()
			next, action = &utc, db.ActionOrderDeliverySet
			details["deliver_at"] = utc.Format(time.RFC3339)
		}
		row, err := db.SetOrderDelivery(ctx, tx, o.ID, next)
		if errors.Is(err, db.ErrNotFound) {
			return notNow(o, "delivery")
		}
		if err != nil {
			return err
		}
		out = orderFrom(row)
		return s.audit(ctx, tx, a, out, action, details)
	})
	return out, err
}

// CancelScheduledDelivery takes back the send of an approved order that
// waits for its delivery time, before it starts: the order stays
// approved, without a date. Refused when no send is scheduled (none was,
// or it has started: the sender's own checks then decide).
func (s *Service) CancelScheduledDelivery(ctx context.Context, a Actor, id int64) (Order, error) {
	var out Order
	err := s.locked(ctx, id, func(tx pgx.Tx, o Order) error {
		if !MayScheduleDelivery(a, o) {
			return forbidden("delivery.who")
		}
		if o.Status != StatusApproved {
			return conflict("delivery.not_scheduled")
		}
		took, err := db.DeleteScheduledSend(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if !took {
			return conflict("delivery.not_scheduled")
		}
		row, err := db.SetOrderDelivery(ctx, tx, o.ID, nil)
		if err != nil {
			return err
		}
		out = orderFrom(row)
		return s.audit(ctx, tx, a, out, db.ActionOrderDeliveryCancelled, map[string]any{
			"deliver_at": o.DeliverAt.UTC().Format(time.RFC3339),
		})
	})
	return out, err
}

// DeliveryScheduled reports whether o, approved, waits for a delivery
// time still ahead at now.
func (o Order) DeliveryScheduled(now time.Time) bool {
	return o.Status == StatusApproved && o.DeliverAt.After(now)
}
