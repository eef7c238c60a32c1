package orders

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// RequestSend queues the send of an approved order whose policy does not
// send automatically. hash is the parameter hash the person saw: a page
// showing an older version cannot send a newer one. The requester, any
// approver and admins may press it; the send itself is the job's.
//
// Pressing twice queues one job (the queue refuses a second job for the same
// order and hash), and the order's conditional move to sending lets only one
// call out in any case.
func (s *Service) RequestSend(ctx context.Context, a Actor, id int64, hash string) (Order, error) {
	if s.hooks.Send == nil {
		return Order{}, conflict("order.send.no_queue")
	}
	var out Order
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.Lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if !MaySend(a, o) {
			return forbidden("order.send.who")
		}
		if o.Status != StatusApproved {
			return conflict("order.send.not_approved", "status", o.Status.Label())
		}
		if o.ParamsSHA256 != hash {
			return stale(fmt.Errorf("orders: send of order %d asked for hash %s, order has %s", id, hash, o.ParamsSHA256))
		}
		if err := s.audit(ctx, tx, a, o, db.ActionOrderSendRequested, nil); err != nil {
			return err
		}
		if err := s.hooks.Send.EnqueueSend(ctx, tx, o); err != nil {
			return fmt.Errorf("orders: queue the send of order %d: %w", id, err)
		}
		out = o
		return nil
	})
	return out, err
}

// SendAttempts lists every call made for an order, first first, with the
// exact bytes sent and received: the evidence the order page shows.
func (s *Service) SendAttempts(ctx context.Context, id int64) ([]SendAttempt, error) {
	return db.ListSendAttempts(ctx, s.pool, id)
}

// SendWaiting reports whether a send of the order is queued or running. The
// order page shows "Send now" for an approved order with none, whatever its
// policy says today: an order approved under a send-by-hand policy that was
// later switched to auto-send was never queued.
func (s *Service) SendWaiting(ctx context.Context, id int64) (bool, error) {
	return db.SendJobWaiting(ctx, s.pool, id)
}
