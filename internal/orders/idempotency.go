package orders

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// MaxIdempotencyKeyLen bounds an idempotency key (printable ASCII).
const MaxIdempotencyKeyLen = 200

// errKeyTaken rolls back a create whose key another create claimed first.
var errKeyTaken = errors.New("orders: idempotency key taken")

// ComposeOnce is Compose for clients that retry: the first create with a
// key makes the order, and every later one with the same key (per actor)
// returns that order unchanged, with replayed true. requestSHA256 is the
// hash of the request as the client sent it: the same key with a different
// request is a conflict, never the first order passed off as the second.
//
// The key is stored in the order's own transaction. Two creates racing with
// one key both validate and insert, but the second's claim waits for the
// first's transaction; when that commits, the second rolls its order back
// and returns the first's. So a retry under any timing makes one order.
func (s *Service) ComposeOnce(ctx context.Context, a Actor, d Draft, key, requestSHA256 string) (o Order, replayed bool, err error) {
	if !a.Has(auth.RoleRequester) {
		return Order{}, false, forbidden("order.compose.requesters_only")
	}
	if o, ok, err := s.replay(ctx, a, key, requestSHA256); ok || err != nil {
		return o, ok, err
	}
	token := s.clientTokenFor(d.Product)
	canon, err := s.check(ctx, d, token)
	if err != nil {
		return Order{}, false, err
	}
	o, err = s.insertWith(ctx, a, d, canon, token, 0, 0, db.ActionOrderCreated, func(tx pgx.Tx, o Order) error {
		claimed, err := db.ClaimIdempotencyKey(ctx, tx, db.IdempotencyKey{
			UserID: a.UserID, Key: key, RequestSHA256: requestSHA256, OrderID: o.ID,
		})
		if err != nil {
			return err
		}
		if !claimed {
			return errKeyTaken
		}
		return nil
	})
	if errors.Is(err, errKeyTaken) {
		o, ok, err := s.replay(ctx, a, key, requestSHA256)
		if err == nil && !ok {
			// The key's order was deleted between the claim and this read.
			err = &fault.Error{Kind: fault.Conflict, Msg: fault.Text("order.idempotency_key.gone",
				"That Idempotency-Key was used for an order that no longer exists; use a new key.")}
		}
		return o, ok, err
	}
	return o, false, err
}

// replay returns the order a stored key made, if the key is stored.
func (s *Service) replay(ctx context.Context, a Actor, key, requestSHA256 string) (Order, bool, error) {
	k, err := db.GetIdempotencyKey(ctx, s.pool, a.UserID, key)
	if errors.Is(err, db.ErrNotFound) {
		return Order{}, false, nil
	}
	if err != nil {
		return Order{}, false, err
	}
	if k.RequestSHA256 != requestSHA256 {
		return Order{}, false, &fault.Error{Kind: fault.Conflict, Msg: fault.Text("order.idempotency_key.other_request",
			"That Idempotency-Key was already used with a different request; use a new key for a new order.")}
	}
	o, err := s.Get(ctx, k.OrderID)
	if err != nil {
		return Order{}, false, err
	}
	return o, true, nil
}
