package sending

import (
	"context"
	"errors"
	"strings"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// ResendWithToken settles an unknown CreateInstance order by sending it again
// with its own ClientToken, signed with the key of its first call. The
// service answers a token it has seen with the order it already made, and
// buys only if the first call never arrived — once either way. The order
// stays unknown while the call is out, so two people pressing at once make
// two calls with one token: still one purchase.
func (s *Sender) ResendWithToken(ctx context.Context, a orders.Actor, orderID int64) (orders.Order, error) {
	if !orders.MaySettle(a) {
		return orders.Order{}, fault.New(fault.Refused, "send.resend.who")
	}
	return s.resendOnce(ctx, a, orderID, 0)
}

// AutoResend is automatic resend number try of an unknown CreateInstance
// order (the resend job's work). An order that is no longer unknown needs
// nothing; an answer that settles nothing queues the next try, until the
// tries run out and a person settles the order.
func (s *Sender) AutoResend(ctx context.Context, orderID int64, try int) error {
	_, err := s.resendOnce(ctx, system, orderID, max(try, 1))
	if refused, ok := fault.As(err); ok {
		s.log.Info("send: automatic resend settled nothing", "order", orderID, "try", try, "why", refused.Msg.String())
		return nil
	}
	return err
}

func (s *Sender) resendOnce(ctx context.Context, a orders.Actor, orderID int64, autoTry int) (orders.Order, error) {
	o, err := s.orders.Get(ctx, orderID)
	if err != nil {
		return orders.Order{}, err
	}
	if o.ClientToken == "" {
		return orders.Order{}, fault.New(fault.Conflict, "send.resend.no_token")
	}
	if o.Status != orders.StatusUnknown {
		return orders.Order{}, fault.New(fault.Conflict, "send.resend.not_unknown", "status", strings.ToLower(o.Status.Label()))
	}
	// A resend runs inside its HTTP request or job; one cut short by a
	// shutdown left its attempt open. Past the call deadline it can only
	// be dead.
	if _, err := db.InterruptOpenSendAttempts(ctx, s.pool, o.ID, s.cfg.CallTimeout+time.Minute); err != nil {
		return orders.Order{}, err
	}
	pinned, err := db.FirstCallSecretID(ctx, s.pool, o.ID)
	if err != nil {
		return orders.Order{}, err
	}
	at := &attempt{order: o, mode: resend, secretID: pinned, actor: a, autoTry: autoTry}
	if at.id, at.n, err = db.BeginSendAttempt(ctx, s.pool, o.ID, s.cfg.Replica); err != nil {
		return orders.Order{}, err
	}
	res, callErr := s.call(ctx, at)
	if errors.Is(callErr, db.ErrAttemptClosed) {
		return o, fault.New(fault.Conflict, "send.resend.taken_over")
	}
	st, err := s.keep(ctx, answerOf(at, res, callErr))
	if err != nil {
		return orders.Order{}, err
	}
	return st.order, st.told
}
