package sending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Credentials opens an account's keys just for one call.
type Credentials interface {
	Credentials(ctx context.Context, accountID int64) (tcapi.Credentials, error)
}

// API is the part of tcapi.Client the sender uses.
type API interface {
	Send(ctx context.Context, creds tcapi.Credentials, req tcapi.Request) (tcapi.Result, error)
}

// ErrRetry asks the job queue to run the send again later: the call was
// throttled or never left, so nothing was bought and the order is approved
// again.
var ErrRetry = errors.New("sending: not sent this time; try again later")

// Config tunes the sender.
type Config struct {
	// CallTimeout bounds one call; past it the outcome is unknown.
	CallTimeout time.Duration
	// Replica names this process in the attempt records.
	Replica string
}

// Sender sends orders.
type Sender struct {
	pool   db.Pool
	orders *orders.Service
	creds  Credentials
	api    API
	cfg    Config
	log    *slog.Logger
}

// New builds a sender.
func New(pool db.Pool, svc *orders.Service, creds Credentials, api API, cfg Config, log *slog.Logger) *Sender {
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = tcapi.DefaultTimeout
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{pool: pool, orders: svc, creds: creds, api: api, cfg: cfg, log: log}
}

// system is the actor of everything the sender does.
var system = orders.Actor{}

// attempt is what step 1 hands to step 2.
type attempt struct {
	order orders.Order
	id    int64
	n     int
}

// Send carries out one send of an order (see the package doc). approvedHash
// is the parameter hash the approvers approved; the job carries it from the
// approval so that nothing else can be sent in its name.
//
// It returns nil when the job is done (whatever the outcome, which is on the
// order), ErrRetry when the job should run again later, and any other error
// when the database failed (the job queue retries those too; every step is
// safe to repeat).
func (s *Sender) Send(ctx context.Context, orderID int64, approvedHash string) error {
	return s.SendVersion(ctx, orderID, 0, approvedHash)
}

// SendVersion is Send for the order version that was approved (0: any
// version with the approved hash). The job queue passes the version, so a
// job for an earlier version never sends a later one.
func (s *Sender) SendVersion(ctx context.Context, orderID int64, version int, approvedHash string) error {
	at, err := s.begin(ctx, orderID, version, approvedHash)
	if err != nil || at == nil {
		return err
	}
	res, callErr := s.call(ctx, at.order)
	// The outcome must be written even when the job's context has ended
	// (shutdown): a call that may have bought is never left unrecorded.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return s.record(recCtx, at, res, callErr)
}

// begin is step 1. It returns nil, nil when there is nothing to send.
func (s *Sender) begin(ctx context.Context, orderID int64, version int, approvedHash string) (*attempt, error) {
	var at *attempt
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.orders.Lock(ctx, tx, orderID)
		var gone *orders.Error
		if errors.As(err, &gone) && gone.Kind == orders.KindNotFound {
			s.log.Warn("send: order no longer exists", "order", orderID)
			return nil
		}
		if err != nil {
			return err
		}
		switch o.Status {
		case orders.StatusApproved:
			if o.ParamsSHA256 != approvedHash || orders.Hash(o.Params) != approvedHash || (version != 0 && o.Version != version) {
				// Only an edit changes the hash, and an edit returns the
				// order to draft; an approved order with another hash was
				// approved again, and that approval has its own job.
				s.log.Warn("send: job is for another version of the order; skipping", "order", o.ID)
				return nil
			}
			next, err := s.orders.Transition(ctx, tx, system, o, orders.StatusSending, "order.sending",
				map[string]any{"approved_sha256": approvedHash})
			if err != nil {
				return err
			}
			at = &attempt{order: next}
		case orders.StatusSending:
			// The attempt the dead process left open will never be
			// finished by it; say so on the record.
			if _, err := db.InterruptOpenSendAttempts(ctx, tx, o.ID, 0); err != nil {
				return err
			}
			if o.Product != orders.ProductBilling {
				_, err := s.orders.Transition(ctx, tx, system, o, orders.StatusUnknown, "order.send_interrupted",
					map[string]any{"reason": "a send was interrupted before its outcome was recorded; the call may have reached Tencent Cloud, so it is not made again"})
				if err != nil {
					return err
				}
				return db.RecordOrderOutcome(ctx, tx, o.ID, db.SendOutcome{
					Outcome:      string(tcapi.Unknown),
					ErrorMessage: "The console stopped while this order was being sent. It may or may not have been bought.",
				}, true)
			}
			if o.ParamsSHA256 != approvedHash || (version != 0 && o.Version != version) {
				s.log.Warn("send: job is for another version of the order; skipping", "order", o.ID)
				return nil
			}
			// CreateInstance is idempotent on its ClientToken: resending
			// the same parameters, token included, cannot buy twice.
			if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: "order.resending_with_client_token",
				Subject: o.Subject(), Details: map[string]any{"client_token": o.ClientToken, "version": o.Version}}); err != nil {
				return err
			}
			at = &attempt{order: o}
		default:
			s.log.Info("send: order is not waiting to be sent", "order", o.ID, "status", o.Status)
			return nil
		}
		at.id, at.n, err = db.BeginSendAttempt(ctx, tx, o.ID, s.cfg.Replica)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sending: begin order %d: %w", orderID, err)
	}
	return at, nil
}

// call is step 2.
func (s *Sender) call(ctx context.Context, o orders.Order) (tcapi.Result, error) {
	creds, err := s.creds.Credentials(ctx, o.AccountID)
	var refusal *accounts.Refusal
	switch {
	case errors.As(err, &refusal):
		// The account refuses (disabled, keys missing or unopenable): no
		// retry can help, and a person must fix the account first.
		return tcapi.Result{Outcome: tcapi.NotSent}, &localError{code: "Dealdesk.CredentialsUnavailable",
			msg: "The account's credentials could not be used (" + refusal.Message + "). Nothing was sent.", err: err}
	case err != nil:
		// The database or the context failed us: nothing was sent, and the
		// order goes back to approved to be tried again.
		return tcapi.Result{Outcome: tcapi.NotSent}, &transientError{err: err}
	}
	req, err := o.Product.ParseParams(o.Params, o.Region)
	if err != nil {
		return tcapi.Result{Outcome: tcapi.NotSent}, &localError{code: "Dealdesk.InvalidParameters",
			msg: "The stored parameters no longer pass validation. Nothing was sent.", err: err}
	}
	callCtx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	return s.api.Send(callCtx, creds, req)
}

// localError is a reason Dealdesk itself did not send. Nothing left the
// console, so the order fails instead of waiting for a retry that cannot
// help; a person fixes the cause and composes it again.
type localError struct {
	code, msg string
	err       error
}

func (e *localError) Error() string { return "sending: " + e.msg + ": " + e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// transientError is a failure before anything was sent that a later try may
// not meet: reading the credentials when the database was unreachable, or a
// shutdown cancelling the job.
type transientError struct{ err error }

func (e *transientError) Error() string { return "sending: not sent this time: " + e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

// record is step 3.
func (s *Sender) record(ctx context.Context, at *attempt, res tcapi.Result, callErr error) error {
	o := at.order
	out := outcomeOf(o, res)
	var local *localError
	var transient *transientError
	switch {
	case errors.As(callErr, &local):
		out.Outcome, out.ErrorCode, out.ErrorMessage = "not_sent", local.code, local.msg
	case errors.As(callErr, &transient):
		out.ErrorMessage = "The account's credentials could not be read this time. Nothing was sent; it is tried again."
		s.log.Warn("send: credentials unavailable; will retry", "order", o.ID, "err", callErr)
	}
	sent := sentHash(res)
	to, action, final := target(res.Outcome, local != nil)
	retry := false
	err := db.InTxRetry(ctx, s.pool, 5, func(tx pgx.Tx) error {
		if err := db.FinishSendAttempt(ctx, tx, db.SendAttempt{
			ID: at.id, Outcome: out.Outcome, RequestID: res.RequestID, ErrorCode: out.ErrorCode,
			ErrorMessage: out.ErrorMessage, HTTPStatus: res.HTTPStatus, Sent: res.Sent, Received: res.Received,
			SentSHA256: sent,
		}); err != nil {
			return err
		}
		cur, err := s.orders.Lock(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		details := map[string]any{
			"attempt": at.n, "outcome": out.Outcome, "request_id": res.RequestID,
			"error_code": out.ErrorCode, "sent_sha256": sent, "params_sha256": o.ParamsSHA256,
		}
		if sent != "" && sent != o.ParamsSHA256 {
			// Cannot happen while the client sends what it is given; if it
			// ever does, the record must say so loudly.
			details["sent_differs_from_approved"] = true
			s.log.Error("send: the bytes sent differ from the approved parameters", "order", o.ID)
		}
		if cur.Status == orders.StatusUnknown && final && to != orders.StatusUnknown {
			// Another worker gave this call up for lost while it was still
			// running; the late answer settles it.
			action = "order.settled_by_late_answer"
		} else if cur.Status != orders.StatusSending {
			// Settled (by a person, or by another worker's late answer)
			// while this call was out: the answer goes on the audit trail
			// beside the settlement, which stands.
			s.log.Warn("send: order moved while its call was in flight; recording the answer beside it",
				"order", o.ID, "status", cur.Status, "outcome", out.Outcome)
			details["settled_as"] = string(cur.Status)
			_, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: "order.answer_after_settlement",
				Subject: o.Subject(), Details: details})
			return err
		}
		if _, err := s.orders.Transition(ctx, tx, system, cur, to, action, details); err != nil {
			return err
		}
		retry = to == orders.StatusApproved
		return db.RecordOrderOutcome(ctx, tx, o.ID, out, final)
	})
	if err != nil {
		return fmt.Errorf("sending: record order %d: %w", o.ID, err)
	}
	s.log.Info("send: recorded", "order", o.ID, "attempt", at.n, "outcome", out.Outcome, "request_id", res.RequestID)
	if retry {
		return ErrRetry
	}
	return nil
}

// target maps an outcome to the order's next status, the audit action, and
// whether sending is over.
func target(o tcapi.Outcome, local bool) (orders.Status, string, bool) {
	switch {
	case local:
		return orders.StatusFailed, "order.send_failed", true
	case o == tcapi.Succeeded:
		return orders.StatusSucceeded, "order.succeeded", true
	case o == tcapi.Rejected:
		return orders.StatusFailed, "order.failed", true
	case o.SafeToResend():
		return orders.StatusApproved, "order.send_deferred", false
	default: // Unknown, NeedsReview
		return orders.StatusUnknown, "order.outcome_unknown", true
	}
}

// outcomeOf extracts what people search by from a result.
func outcomeOf(o orders.Order, res tcapi.Result) db.SendOutcome {
	out := db.SendOutcome{
		Outcome: string(res.Outcome), RequestID: res.RequestID,
		ErrorCode: res.ErrorCode, ErrorMessage: res.ErrorMessage,
	}
	if len(res.Received) > 0 && json.Valid(res.Received) {
		out.Response = res.Received
	}
	switch r := res.Response.(type) {
	case *tcapi.GenerateDealsAndPayNewResponse:
		if r.Data != nil {
			out.DealNames = r.Data.DealNames
			out.BigDealID = tcapi.Deref(r.Data.BigDealId)
		}
		if id := tcapi.Deref(r.InstanceId); id != "" {
			out.InstanceIDs = []string{id}
		}
		if res.Outcome == tcapi.NeedsReview {
			out.ErrorMessage = "Tencent Cloud answered Status 0 but named deals: they may exist unpaid. Check the deals in the console before settling. " + tcapi.Deref(r.ReturnMessage)
		}
	case *tcapi.CreateInstanceResponse:
		out.BillingOrderID = tcapi.Deref(r.OrderId)
		out.InstanceIDs = r.InstanceIdList
	}
	if res.Outcome == tcapi.Unknown && out.ErrorMessage == "" {
		out.ErrorMessage = "No clear answer came back after the request may have reached Tencent Cloud. It may or may not have been bought."
	}
	return out
}
