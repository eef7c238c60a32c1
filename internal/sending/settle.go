package sending

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Settlement is what a person found out about an order whose outcome was
// unknown, and how they know.
type Settlement struct {
	// Succeeded is true when the purchase happened, false when it did not.
	Succeeded bool
	// Note says what they checked (the Tencent Cloud console's order list,
	// a bill, a ticket with support); required.
	Note string
	// DealNames (WAF) or instance ids they found, when it succeeded.
	DealNames []string
}

// mayRecord reports whether a actor may settle orders by hand.
func mayRecord(a orders.Actor) bool { return a.Has("approver") || a.Has("admin") }

// SettleByHand records what a person found for an order in unknown status.
// It is the only way a WAF or TCB order leaves unknown: nothing is sent.
func (s *Sender) SettleByHand(ctx context.Context, a orders.Actor, orderID int64, st Settlement) (orders.Order, error) {
	if !mayRecord(a) {
		return orders.Order{}, &orders.Error{Kind: orders.KindForbidden, Message: "Only approvers and admins settle orders whose outcome is unknown."}
	}
	fe := orders.FieldErrors{}
	note := strings.TrimSpace(st.Note)
	if note == "" {
		fe["note"] = "Say what you checked and what it showed; the note is the evidence auditors will read."
	} else if len(note) > 4000 {
		fe["note"] = "Keep the note to 4000 characters."
	}
	var deals []string
	for _, d := range st.DealNames {
		if d = strings.TrimSpace(d); d != "" {
			deals = append(deals, d)
		}
	}
	if len(fe) > 0 {
		return orders.Order{}, fe
	}
	to, action := orders.StatusFailed, "order.settled_failed"
	if st.Succeeded {
		to, action = orders.StatusSucceeded, "order.settled_succeeded"
	}
	var out orders.Order
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.orders.Lock(ctx, tx, orderID)
		if err != nil {
			return err
		}
		if o.Status != orders.StatusUnknown {
			return &orders.Error{Kind: orders.KindConflict, Message: "Only orders whose outcome is unknown can be settled; this one is " + strings.ToLower(o.Status.Label()) + "."}
		}
		next, err := s.orders.Transition(ctx, tx, a, o, to, action, map[string]any{"note": note, "deal_names": deals})
		if err != nil {
			return err
		}
		rec := o.Sent
		rec.Outcome = "settled_by_hand"
		if st.Succeeded && len(deals) > 0 {
			rec.DealNames = deals
		}
		if err := db.RecordOrderOutcome(ctx, tx, o.ID, rec, true); err != nil {
			return err
		}
		if err := db.SetSettlementNote(ctx, tx, o.ID, note); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}

// ResendWithToken settles an unknown CreateInstance order by sending it again
// with its own ClientToken. The service answers a token it has seen with the
// order it already made, and buys only if the first call never arrived — once
// either way. The order stays unknown while the call is out, so two people
// pressing at once make two calls with one token: still one purchase.
func (s *Sender) ResendWithToken(ctx context.Context, a orders.Actor, orderID int64) (orders.Order, error) {
	if !mayRecord(a) {
		return orders.Order{}, &orders.Error{Kind: orders.KindForbidden, Message: "Only approvers and admins settle orders whose outcome is unknown."}
	}
	o, err := s.orders.Get(ctx, orderID)
	if err != nil {
		return orders.Order{}, err
	}
	if o.Product != orders.ProductBilling || o.ClientToken == "" {
		return orders.Order{}, &orders.Error{Kind: orders.KindConflict, Message: "Only CreateInstance orders carry a ClientToken that makes a resend safe; settle this one by hand."}
	}
	if o.Status != orders.StatusUnknown {
		return orders.Order{}, &orders.Error{Kind: orders.KindConflict, Message: "Only orders whose outcome is unknown can be settled; this one is " + strings.ToLower(o.Status.Label()) + "."}
	}
	// A resend runs inside its HTTP request; one cut short by a shutdown
	// left its attempt open. Past the call deadline it can only be dead.
	if _, err := db.InterruptOpenSendAttempts(ctx, s.pool, o.ID, s.cfg.CallTimeout+time.Minute); err != nil {
		return orders.Order{}, err
	}
	attemptID, n, err := db.BeginSendAttempt(ctx, s.pool, o.ID, s.cfg.Replica)
	if err != nil {
		return orders.Order{}, err
	}
	res, callErr := s.call(ctx, o)
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var out orders.Order
	var lateAnswer error
	err = db.InTxRetry(recCtx, s.pool, 5, func(tx pgx.Tx) error {
		lateAnswer = nil
		if err := db.FinishSendAttempt(recCtx, tx, db.SendAttempt{ID: attemptID, Outcome: string(res.Outcome),
			RequestID: res.RequestID, ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
			HTTPStatus: res.HTTPStatus, Sent: res.Sent, Received: res.Received, SentSHA256: sentHash(res)}); err != nil {
			return err
		}
		cur, err := s.orders.Lock(recCtx, tx, o.ID)
		if err != nil {
			return err
		}
		out = cur
		details := map[string]any{"attempt": n, "outcome": string(res.Outcome), "request_id": res.RequestID,
			"error_code": res.ErrorCode, "client_token": o.ClientToken}
		var to orders.Status
		switch res.Outcome {
		case tcapi.Succeeded:
			to = orders.StatusSucceeded
		case tcapi.Rejected:
			// A token the service had seen would have been answered with
			// its order; a refusal means the first call bought nothing.
			to = orders.StatusFailed
		default:
			_, err := db.AppendAudit(recCtx, tx, db.AuditEvent{Actor: actorID(a), Action: "order.resend_inconclusive",
				Subject: o.Subject(), RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details})
			return err
		}
		if cur.Status != orders.StatusUnknown {
			// Someone settled it while the resend was out. Their decision
			// stands, but Tencent Cloud's answer goes on the audit trail
			// beside it, and the person who resent is told, so a settlement
			// the answer contradicts is seen and can be looked into.
			details["settled_as"] = string(cur.Status)
			if _, err := db.AppendAudit(recCtx, tx, db.AuditEvent{Actor: actorID(a), Action: "order.resend_answer_after_settlement",
				Subject: o.Subject(), RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details}); err != nil {
				return err
			}
			lateAnswer = &orders.Error{Kind: orders.KindConflict, Message: fmt.Sprintf(
				"Someone settled this order as %s while your resend was out. Tencent Cloud answered the resend: %s (RequestId %s). Both are on the order's record; if they disagree, check the Tencent Cloud console.",
				strings.ToLower(cur.Status.Label()), res.Outcome, res.RequestID)}
			return nil
		}
		if out, err = s.orders.Transition(recCtx, tx, a, cur, to, "order.settled_by_resend", details); err != nil {
			return err
		}
		return db.RecordOrderOutcome(recCtx, tx, o.ID, outcomeOf(o, res), true)
	})
	if err != nil {
		return orders.Order{}, fmt.Errorf("sending: record resend of order %d: %w", o.ID, err)
	}
	var local *localError
	if errors.As(callErr, &local) {
		return out, &orders.Error{Kind: orders.KindConflict, Message: local.msg, Err: callErr}
	}
	return out, lateAnswer
}

func sentHash(res tcapi.Result) string {
	if len(res.Sent) == 0 {
		return ""
	}
	canon, err := orders.Canonical(res.Sent)
	if err != nil {
		return ""
	}
	return orders.Hash(canon)
}

func actorID(a orders.Actor) string {
	if a.UserID == 0 {
		return "system"
	}
	return fmt.Sprint(a.UserID)
}
