package notify

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// Delivery is one message on one channel and how its delivery went (the
// record as stored, named here for the pages).
type Delivery = db.Delivery

// DeliveryPageSize is how many deliveries a page of the log shows.
const DeliveryPageSize = 50

// Deliveries lists a page of the delivery log, newest first, older than
// before (0: the newest). Admins only.
func (s *Service) Deliveries(ctx context.Context, a orders.Actor, before int64) ([]Delivery, error) {
	if !a.Has(auth.RoleAdmin) {
		return nil, fault.New(fault.Refused, "delivery.admins_only")
	}
	return db.ListDeliveries(ctx, s.pool, before, DeliveryPageSize)
}

// Resend queues a delivery again, whatever became of it, with its audit
// event, in one transaction. Admins only.
func (s *Service) Resend(ctx context.Context, a orders.Actor, id int64) error {
	if !a.Has(auth.RoleAdmin) {
		return fault.New(fault.Refused, "delivery.admins_only")
	}
	if s.requeue == nil {
		return fault.New(fault.Unavailable, "delivery.no_queue")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := db.GetDelivery(ctx, tx, id)
		if errors.Is(err, db.ErrNotFound) {
			return fault.Wrap(fault.NotFound, err, "delivery.not_found")
		}
		if err != nil {
			return err
		}
		if err := db.RequeueDelivery(ctx, tx, id); err != nil {
			return err
		}
		if err := s.requeue.RequeueDelivery(ctx, tx, d); err != nil {
			return err
		}
		return audit(ctx, tx, a, db.ActionDeliveryResent, "delivery:"+strconv.FormatInt(id, 10), map[string]any{
			"channel": d.Channel, "event": d.Event, "order_id": d.OrderID, "previous_status": d.Status, "attempts": d.Attempts,
		})
	})
}
