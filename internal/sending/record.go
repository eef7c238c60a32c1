package sending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Answer is everything needed to record one call's outcome: the attempt it
// belongs to, what the call was for, and what came back. It is written to
// the log the moment the answer arrives, so that no answer depends on the
// database being up to be kept, and `console sending replay` can record it
// from there later. It holds no secret: the bytes sent are the order's
// parameters, and the keys are not part of them.
type Answer struct {
	OrderID   int64 `json:"order_id"`
	AttemptID int64 `json:"attempt_id"`
	Attempt   int   `json:"attempt"`
	// Resend marks a CreateInstance resent with its ClientToken to settle
	// an unknown outcome; AutoTry counts automatic resends (0 by hand).
	Resend  bool `json:"resend,omitempty"`
	AutoTry int  `json:"auto_try,omitempty"`
	// ActorID, ActorAddr and ActorRequest say who resent by hand, for the
	// audit events (0 and empty: the system).
	ActorID      int64  `json:"actor_id,omitempty"`
	ActorAddr    string `json:"actor_addr,omitempty"`
	ActorRequest string `json:"actor_request,omitempty"`
	// Outcome is tcapi's class of the call.
	Outcome string `json:"outcome"`
	// Local names a reason Dealdesk did not call (a Dealdesk.* code);
	// Transient marks a passing one. Message explains either.
	Local     string `json:"local,omitempty"`
	Transient bool   `json:"transient,omitempty"`
	Message   string `json:"message,omitempty"`

	RequestID    string   `json:"request_id,omitempty"`
	ErrorCode    string   `json:"error_code,omitempty"`
	ErrorMessage string   `json:"error_message,omitempty"`
	HTTPStatus   int      `json:"http_status,omitempty"`
	Sent         []byte   `json:"sent,omitempty"`
	SentSHA256   string   `json:"sent_sha256,omitempty"`
	Received     []byte   `json:"received,omitempty"`
	DealNames    []string `json:"deal_names,omitempty"`
	BigDealID    string   `json:"big_deal_id,omitempty"`
	InstanceIDs  []string `json:"instance_ids,omitempty"`
	BillingOrder string   `json:"billing_order_id,omitempty"`
	Summary      string   `json:"summary,omitempty"`
}

// answerOf gathers what a call produced.
func answerOf(at *attempt, res tcapi.Result, callErr error) Answer {
	out := outcomeOf(res)
	ans := Answer{
		OrderID: at.order.ID, AttemptID: at.id, Attempt: at.n, Resend: at.mode == resend, AutoTry: at.autoTry,
		ActorID: at.actor.UserID, ActorAddr: at.actor.RemoteAddr, ActorRequest: at.actor.RequestID, Outcome: string(res.Outcome),
		RequestID: res.RequestID, ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
		HTTPStatus: res.HTTPStatus, Sent: res.Sent, SentSHA256: sentHash(res), Received: res.Received,
		DealNames: out.DealNames, BigDealID: out.BigDealID, InstanceIDs: out.InstanceIDs,
		BillingOrder: out.BillingOrderID, Summary: out.ErrorMessage,
	}
	var local *localError
	var transient *transientError
	switch {
	case errors.As(callErr, &local):
		ans.Local, ans.Message = local.code, local.msg
	case errors.As(callErr, &transient):
		ans.Transient, ans.Message = true, transient.msg
	}
	return ans
}

// attemptRecord is the attempt row's side of an answer.
func (a Answer) attemptRecord() db.SendAttempt {
	rec := db.SendAttempt{ID: a.AttemptID, Outcome: a.Outcome, RequestID: a.RequestID, ErrorCode: a.ErrorCode,
		ErrorMessage: a.ErrorMessage, HTTPStatus: a.HTTPStatus, Sent: a.Sent, Received: a.Received, SentSHA256: a.SentSHA256}
	if a.Local != "" || a.Transient {
		rec.Outcome, rec.ErrorCode, rec.ErrorMessage = string(tcapi.NotSent), a.Local, a.Message
	}
	return rec
}

// actor is who made the call, as the audit events name them.
func (a Answer) actor() orders.Actor {
	return orders.Actor{UserID: a.ActorID, RemoteAddr: a.ActorAddr, RequestID: a.ActorRequest}
}

// orderRecord is the order row's side of an answer.
func (a Answer) orderRecord() db.SendOutcome {
	out := db.SendOutcome{Outcome: a.Outcome, RequestID: a.RequestID, ErrorCode: a.ErrorCode,
		ErrorMessage: a.Summary, DealNames: a.DealNames, BigDealID: a.BigDealID,
		InstanceIDs: a.InstanceIDs, BillingOrderID: a.BillingOrder}
	if len(a.Received) > 0 && json.Valid(a.Received) {
		out.Response = a.Received
	}
	if a.Local != "" || a.Transient {
		out.Outcome, out.ErrorCode, out.ErrorMessage = string(tcapi.NotSent), a.Local, a.Message
	}
	return out
}

// settled is what recording an answer did.
type settled struct {
	order orders.Order
	// retry asks the job queue to send again later.
	retry bool
	// told is what the person who resent must hear (nil for jobs).
	told error
}

// record is step 3: keep the answer, whatever happens to the database.
func (s *Sender) record(ctx context.Context, at *attempt, res tcapi.Result, callErr error) error {
	if errors.Is(callErr, db.ErrAttemptClosed) {
		// Another worker took this send over before our call started, and
		// closed the attempt: we sent nothing and the order is theirs.
		s.log.Warn("send: the attempt was taken over before the call; nothing sent", "order", at.order.ID, "attempt", at.n)
		return nil
	}
	ans := answerOf(at, res, callErr)
	st, err := s.keep(ctx, ans)
	if err != nil {
		return err
	}
	if s.cfg.Observe != nil {
		var waited time.Duration
		if !at.approvedAt.IsZero() {
			waited = time.Since(at.approvedAt)
		}
		s.cfg.Observe(string(at.order.Product), ans.Outcome, waited)
	}
	if st.retry {
		return ErrRetry
	}
	return nil
}

// keep logs the answer, then records it, trying again for as long as the
// database is out of reach (see Config.Stopping).
func (s *Sender) keep(ctx context.Context, ans Answer) (settled, error) {
	s.inflight.Add(1)
	defer s.inflight.Done()
	line, _ := json.Marshal(ans)
	s.log.Info("send: answer", "order", ans.OrderID, "attempt", ans.Attempt, "outcome", ans.Outcome,
		"request_id", ans.RequestID, "error_code", ans.ErrorCode, "local", ans.Local, "replay", string(line))

	var giveUp time.Time
	for try := 1; ; try++ {
		tryCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		var st settled
		err := db.InTxRetry(tryCtx, s.pool, 5, func(tx pgx.Tx) error {
			var err error
			st, err = s.apply(tryCtx, tx, ans)
			return err
		})
		cancel()
		if err == nil {
			s.log.Info("send: recorded", "order", ans.OrderID, "attempt", ans.Attempt, "outcome", ans.Outcome,
				"status", st.order.Status, "request_id", ans.RequestID)
			return st, nil
		}
		if _, refused := fault.As(err); refused || !db.MayBeUnavailable(err) {
			// The write itself is refused; trying again cannot help.
			s.unrecorded(ans, line, err)
			return settled{}, fmt.Errorf("sending: record order %d: %w", ans.OrderID, err)
		}
		if giveUp.IsZero() && s.stopping() {
			giveUp = time.Now().Add(s.cfg.RecordPatience)
		}
		if !giveUp.IsZero() && time.Now().After(giveUp) {
			s.unrecorded(ans, line, err)
			return settled{}, fmt.Errorf("sending: record order %d: %w", ans.OrderID, err)
		}
		s.log.Warn("send: could not record the answer; trying again", "order", ans.OrderID, "try", try, "err", err)
		s.pause(s.backoff(try), giveUp)
	}
}

func (s *Sender) stopping() bool {
	select {
	case <-s.cfg.Stopping:
		return true
	default:
		return false
	}
}

// pause sleeps for d, waking early when the process begins to stop (to
// start counting its patience) or when the patience runs out.
func (s *Sender) pause(d time.Duration, giveUp time.Time) {
	if !giveUp.IsZero() {
		d = min(d, max(time.Until(giveUp), 0))
	}
	t := time.NewTimer(d)
	defer t.Stop()
	stop := s.cfg.Stopping
	if !giveUp.IsZero() {
		stop = nil // already counting
	}
	select {
	case <-t.C:
	case <-stop:
	}
}

func recordBackoff(try int) time.Duration {
	d := 100 * time.Millisecond << min(try-1, 6)
	return min(d, 5*time.Second)
}

// unrecorded writes an answer the database would not take as one log line
// that `console sending replay` reads back.
func (s *Sender) unrecorded(ans Answer, line []byte, err error) {
	s.log.Error("send: answer not recorded; record it with `console sending replay LOGFILE`",
		"order", ans.OrderID, "attempt", ans.Attempt, "outcome", ans.Outcome, "request_id", ans.RequestID,
		"err", err, "replay", string(line))
}

// apply records an answer in tx and moves the order as the answer allows.
func (s *Sender) apply(ctx context.Context, tx pgx.Tx, ans Answer) (settled, error) {
	if err := db.FinishSendAttempt(ctx, tx, ans.attemptRecord()); err != nil {
		return settled{}, err
	}
	cur, err := s.orders.Lock(ctx, tx, ans.OrderID)
	if err != nil {
		return settled{}, err
	}
	details := map[string]any{
		"attempt": ans.Attempt, "outcome": ans.Outcome, "request_id": ans.RequestID,
		"error_code": ans.ErrorCode, "sent_sha256": ans.SentSHA256, "params_sha256": cur.ParamsSHA256,
	}
	if ans.Local != "" {
		details["outcome"], details["error_code"], details["reason"] = string(tcapi.NotSent), ans.Local, ans.Message
	}
	if ans.SentSHA256 != "" && ans.SentSHA256 != cur.ParamsSHA256 {
		// Cannot happen: the client refuses to write other bytes. If it
		// ever does, the record must say so loudly.
		details["sent_differs_from_approved"] = true
		s.log.Error("send: the bytes sent differ from the approved parameters", "order", cur.ID)
	}
	if ans.Resend {
		return s.applyResend(ctx, tx, ans, cur, details)
	}
	return s.applyFresh(ctx, tx, ans, cur, details)
}

// applyFresh records the answer to an order's send.
func (s *Sender) applyFresh(ctx context.Context, tx pgx.Tx, ans Answer, cur orders.Order, details map[string]any) (settled, error) {
	out := tcapi.Outcome(ans.Outcome)
	if cur.Status != orders.StatusSending {
		// Another worker gave this call up for lost while it was out. A
		// success settles the order; so does a refusal, unless the order
		// has a ClientToken, whose resends (perhaps out right now) settle
		// it instead: a refusal of the first call does not say what a
		// resend did.
		late := ans.Local == "" && !ans.Transient &&
			(out == tcapi.Succeeded || (out == tcapi.Rejected && cur.ClientToken == ""))
		if cur.Status == orders.StatusUnknown && late {
			to := orders.StatusFailed
			if out == tcapi.Succeeded {
				to = succeededAs(cur)
			}
			next, err := s.orders.Transition(ctx, tx, system, cur, to, db.ActionOrderSettledByLateAnswer, details)
			if err != nil {
				return settled{}, err
			}
			if err := db.RecordOrderOutcome(ctx, tx, cur.ID, ans.orderRecord(), true); err != nil {
				return settled{}, err
			}
			return settled{order: next}, s.tell(ctx, tx, next, ans.orderRecord())
		}
		// Settled by a person, or by a resend, while this call was out:
		// the answer goes on the audit trail beside the settlement.
		s.log.Warn("send: order moved while its call was in flight; recording the answer beside it",
			"order", cur.ID, "status", cur.Status, "outcome", ans.Outcome)
		details["settled_as"] = string(cur.Status)
		_, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderAnswerAfterSettlement,
			Subject: cur.Subject(), Details: details})
		return settled{order: cur}, err
	}
	var to orders.Status
	var action string
	schedule := false
	switch {
	case ans.Local != "":
		// Nothing left the console on this call, and no earlier call
		// may have bought (the order was approved, or its interrupted
		// attempt never reached the call): nothing was bought.
		to, action = orders.StatusFailed, db.ActionOrderSendFailed
	case ans.Transient, out.SafeToResend():
		to, action = orders.StatusApproved, db.ActionOrderSendDeferred
	case out == tcapi.Succeeded && succeededAs(cur) == orders.StatusAwaitingPayment:
		to, action = orders.StatusAwaitingPayment, db.ActionOrderAwaitingPayment
	case out == tcapi.Succeeded:
		to, action = orders.StatusSucceeded, db.ActionOrderSucceeded
	case out == tcapi.Rejected:
		to, action = orders.StatusFailed, db.ActionOrderFailed
	default: // Unknown, NeedsReview
		to, action = orders.StatusUnknown, db.ActionOrderOutcomeUnknown
		schedule = cur.ClientToken != "" && out == tcapi.Unknown && s.autoResends()
		if schedule {
			details["automatic_resend_in"] = s.autoResendDelay(1).String()
		}
	}
	next, err := s.orders.Transition(ctx, tx, system, cur, to, action, details)
	if err != nil {
		return settled{}, err
	}
	if err := db.RecordOrderOutcome(ctx, tx, cur.ID, ans.orderRecord(), to != orders.StatusApproved); err != nil {
		return settled{}, err
	}
	if err := s.tell(ctx, tx, next, ans.orderRecord()); err != nil {
		return settled{}, err
	}
	if schedule {
		if err := s.resends.ScheduleResend(ctx, tx, cur.ID, 1, s.autoResendDelay(1)); err != nil {
			return settled{}, err
		}
	}
	return settled{order: next, retry: to == orders.StatusApproved}, nil
}

// succeededAs is where a successful call leaves the order: succeeded, or,
// when the call only ordered (CloudBase without CreateAndPay), awaiting
// payment, since nothing is bought until the deal is paid.
func succeededAs(o orders.Order) orders.Status {
	if o.Product.AwaitsPayment(o.Params) {
		return orders.StatusAwaitingPayment
	}
	return orders.StatusSucceeded
}

// applyResend records the answer to a CreateInstance resent with its
// ClientToken. Only an answer about the token settles the order: the order
// it made (success), or a refusal that proves it bought nothing. Anything
// else — the keys were replaced or refused, the account is disabled, the
// parameters no longer validate, no answer — says nothing about the first
// call, and the order stays unknown with this attempt on record.
func (s *Sender) applyResend(ctx context.Context, tx pgx.Tx, ans Answer, cur orders.Order, details map[string]any) (settled, error) {
	out := tcapi.Outcome(ans.Outcome)
	actor := ans.actor()
	details["client_token"] = cur.ClientToken
	if ans.AutoTry > 0 {
		details["automatic_try"] = ans.AutoTry
	}
	answered := ans.Local == "" && !ans.Transient
	if cur.Status != orders.StatusUnknown {
		// Someone settled it while the resend was out. Their decision
		// stands, but Tencent Cloud's answer goes on the audit trail
		// beside it, and the person who resent is told, so a settlement
		// the answer contradicts is seen and can be looked into.
		details["settled_as"] = string(cur.Status)
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: actorID(actor), Action: db.ActionOrderResendAnswerAfterSettlement,
			Subject: cur.Subject(), RemoteAddr: actor.RemoteAddr, RequestID: actor.RequestID, Details: details}); err != nil {
			return settled{}, err
		}
		return settled{order: cur, told: fault.New(fault.Conflict, "send.resend.settled_meanwhile",
			"status", cur.Status.Label(), "outcome", string(ans.Outcome), "request_id", ans.RequestID)}, nil
	}
	var to orders.Status
	switch {
	case answered && out == tcapi.Succeeded:
		to = orders.StatusSucceeded
	case answered && out == tcapi.Rejected && tcapi.ProvesTokenUnused(ans.ErrorCode):
		to = orders.StatusFailed
	default:
		return s.inconclusive(ctx, tx, ans, cur, details)
	}
	next, err := s.orders.Transition(ctx, tx, actor, cur, to, db.ActionOrderSettledByResend, details)
	if err != nil {
		return settled{}, err
	}
	if err := db.RecordOrderOutcome(ctx, tx, cur.ID, ans.orderRecord(), true); err != nil {
		return settled{}, err
	}
	return settled{order: next}, s.tell(ctx, tx, next, ans.orderRecord())
}

// inconclusive keeps an order unknown after a resend that settled nothing,
// and queues the next automatic try while there are tries left.
func (s *Sender) inconclusive(ctx context.Context, tx pgx.Tx, ans Answer, cur orders.Order, details map[string]any) (settled, error) {
	why := ans.Message
	if why == "" {
		why = fmt.Sprintf("Tencent Cloud's answer (%s %s) says nothing about the first call.", ans.Outcome, ans.ErrorCode)
	}
	details["reason"] = why
	actor := ans.actor()
	next := ans.AutoTry > 0 && ans.AutoTry < s.cfg.AutoResendTries && s.resends != nil
	if next {
		details["next_automatic_try_in"] = s.autoResendDelay(ans.AutoTry + 1).String()
	} else if ans.AutoTry > 0 {
		details["automatic_resends_exhausted"] = true
	}
	if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: actorID(actor), Action: db.ActionOrderResendInconclusive,
		Subject: cur.Subject(), RemoteAddr: actor.RemoteAddr, RequestID: actor.RequestID, Details: details}); err != nil {
		return settled{}, err
	}
	if next {
		if err := s.resends.ScheduleResend(ctx, tx, cur.ID, ans.AutoTry+1, s.autoResendDelay(ans.AutoTry+1)); err != nil {
			return settled{}, err
		}
	}
	var told error
	if ans.Local != "" || ans.Transient {
		told = fault.New(fault.Conflict, "send.resend.inconclusive", "why", why)
	}
	return settled{order: cur, told: told}, nil
}

// autoResendDelay is the wait before automatic try n (from 1): the delay
// for the first two tries, then twice the wait before for each further one.
// (A rescue also resends at once, inside its job; that resend is not one of
// the counted tries.)
func (s *Sender) autoResendDelay(try int) time.Duration {
	return s.cfg.AutoResendDelay << min(max(try-2, 0), 10)
}

// outcomeOf extracts what people search by from a result. The whole answer
// travels as Answer.Received; orderRecord stores it.
func outcomeOf(res tcapi.Result) db.SendOutcome {
	out := db.SendOutcome{
		Outcome: string(res.Outcome), RequestID: res.RequestID,
		ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
	}
	t := tcapi.TraceOf(res.Response)
	out.DealNames, out.BigDealID, out.InstanceIDs, out.BillingOrderID = t.DealNames, t.BigDealID, t.InstanceIDs, t.OrderID
	if res.Outcome == tcapi.NeedsReview && t.NamesDeals {
		out.ErrorMessage = "Tencent Cloud answered Status 0 but named deals: they may exist unpaid. Check the deals in the console before settling. " + t.ReturnMessage
	}
	if res.Outcome == tcapi.Unknown && out.ErrorMessage == "" {
		out.ErrorMessage = "No clear answer came back after the request may have reached Tencent Cloud. It may or may not have been bought."
	}
	return out
}
