package sending

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Credentials opens an account's keys just for one call. When the
// account's rules forbid the call (disabled, keys missing or unopenable),
// the error it returns holds a *fault.Error: a refusal no retry can
// change, whose message is safe to show. Any other error is a failure of
// the moment (the database, the context).
type Credentials interface {
	Credentials(ctx context.Context, accountID int64) (tcapi.Credentials, error)
}

// API is the part of tcapi.Client the sender uses.
type API interface {
	SendStored(ctx context.Context, creds tcapi.Credentials, s tcapi.Stored) (tcapi.Result, error)
}

// ResendScheduler queues an automatic resend of an unknown CreateInstance
// order, inside the caller's transaction, to run after delay. try counts
// the automatic resends of the order, from 1.
type ResendScheduler interface {
	ScheduleResend(ctx context.Context, tx pgx.Tx, orderID int64, try int, delay time.Duration) error
}

// ErrRetry asks the job queue to run the send again later: the call was
// throttled or never left, so nothing was bought and the order is approved
// again.
var ErrRetry = errors.New("sending: not sent this time; try again later")

// ErrShortOfFunds says a scheduled delivery was not sent because the
// account's balance was short (recorded on the order, which stays
// approved). The job ends without retrying: a person tops up and sends
// again, which queues a new job.
var ErrShortOfFunds = errors.New("sending: the balance is short of this delivery; not sent")

// Balances reads an account's balance for a scheduled delivery's funds
// check (accounts.BalanceCache). known is false when Tencent Cloud could
// not say; err is the console's own failure.
type Balances interface {
	BalanceFen(ctx context.Context, accountID int64) (fen int64, known bool, err error)
}

// Config tunes the sender.
type Config struct {
	// CallTimeout bounds one call; past it the outcome is unknown.
	CallTimeout time.Duration
	// Replica names this process in the attempt records.
	Replica string
	// AutoResendDelay is how long after an unknown outcome a CreateInstance
	// order is resent with its ClientToken; the second try waits as long,
	// each further one twice as long as the one before. 0 means one minute.
	AutoResendDelay time.Duration
	// AutoResendTries bounds the automatic resends; after the last, a person
	// settles the order. 0 means 5; negative turns them off.
	AutoResendTries int
	// Stopping is closed when the process begins to shut down. Until then an
	// answer that could not be recorded is retried for as long as the
	// database is out of reach; after it, for RecordPatience more, and then
	// written to the log as a line `console sending replay` records later.
	Stopping <-chan struct{}
	// RecordPatience: see Stopping. 0 means 30 seconds.
	RecordPatience time.Duration
	// Observe, when set, is told of every call whose answer was recorded:
	// the product, tcapi's outcome class, and for an approved order's first
	// call the time from its approval (zero otherwise). For /metrics.
	Observe func(product, outcome string, approvedToSent time.Duration)
}

// Sender sends orders.
type Sender struct {
	pool     db.Pool
	orders   *orders.Service
	creds    Credentials
	api      API
	cfg      Config
	log      *slog.Logger
	resends  ResendScheduler
	notifier orders.Notifier
	balances Balances
	inflight sync.WaitGroup
	// sleep waits between tries of a record; tests shorten it.
	backoff func(try int) time.Duration
}

// New builds a sender.
func New(pool db.Pool, svc *orders.Service, creds Credentials, api API, cfg Config, log *slog.Logger) *Sender {
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = tcapi.DefaultTimeout
	}
	if cfg.AutoResendDelay <= 0 {
		cfg.AutoResendDelay = time.Minute
	}
	if cfg.AutoResendTries == 0 {
		cfg.AutoResendTries = 5
	}
	if cfg.RecordPatience <= 0 {
		cfg.RecordPatience = 30 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{pool: pool, orders: svc, creds: creds, api: api, cfg: cfg, log: log, backoff: recordBackoff}
}

// UseResendScheduler sets what queues automatic resends. The job queue
// needs the sender to work its jobs, so it is set after both exist and
// before the queue starts. Without one, unknown orders wait for a person.
func (s *Sender) UseResendScheduler(r ResendScheduler) { s.resends = r }

// UseNotifier sets what queues the notices of outcomes (succeeded, failed,
// unknown, awaiting payment), in the recording transaction. Like the
// resend scheduler, it is the job queue, set after both exist. Without one,
// outcomes are told to no one.
func (s *Sender) UseNotifier(n orders.Notifier) { s.notifier = n }

// tell queues the notice of the outcome next has reached, in tx.
// A success also records, in the same transaction, when what it bought or
// renewed expires (the renewals' clock).
func (s *Sender) tell(ctx context.Context, tx pgx.Tx, next orders.Order, sent orders.SendOutcome) error {
	if err := s.orders.RecordExpiries(ctx, tx, next, sent.InstanceIDs); err != nil {
		return err
	}
	return s.orders.NotifyOutcome(ctx, tx, s.notifier, next, sent)
}

// UseBalances sets where a scheduled delivery reads the account's balance
// before its call. Without it, deliveries are sent without a funds check.
func (s *Sender) UseBalances(b Balances) { s.balances = b }

// Wait blocks until every answer this sender holds has been recorded (or,
// after Stopping, written to the log).
func (s *Sender) Wait() { s.inflight.Wait() }

// system is the actor of everything the sender does.
var system = orders.Actor{}

// mode says what a call is for, which decides what its answer may settle.
type mode int

const (
	// fresh is the order's first call, or a call after definite answers
	// that bought nothing: the order is sending while it is out.
	fresh mode = iota
	// resend is a CreateInstance resent with its ClientToken to settle an
	// unknown outcome: the order stays unknown while it is out.
	resend
)

// attempt is one call about to be made: what begin hands to the call and
// the call to record.
type attempt struct {
	order orders.Order
	id    int64
	n     int
	mode  mode
	// secretID pins the key a resend must be signed with ("" for a fresh
	// call, and for resends of calls made before keys were recorded).
	secretID string
	// actor is who made the call (system for jobs).
	actor orders.Actor
	// autoTry counts the automatic resends (0 for every other call).
	autoTry int
	// approvedAt is when the order was approved, for a fresh send.
	approvedAt time.Time
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
	res, callErr := s.call(ctx, at)
	return s.record(ctx, at, res, callErr)
}

// begin is step 1. It returns nil, nil when there is nothing to send.
func (s *Sender) begin(ctx context.Context, orderID int64, version int, approvedHash string) (*attempt, error) {
	var at *attempt
	var short bool
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.orders.Lock(ctx, tx, orderID)
		if fault.KindOf(err) == fault.NotFound {
			s.log.Warn("send: order no longer exists", "order", orderID)
			return nil
		}
		if err != nil {
			return err
		}
		switch o.Status {
		case orders.StatusApproved:
			if !sameApproval(o, version, approvedHash) || orders.Hash(o.Params) != approvedHash {
				// Only an edit changes the hash, and an edit returns the
				// order to draft; an approved order with another hash was
				// approved again, and that approval has its own job.
				s.log.Warn("send: job is for another version of the order; skipping", "order", o.ID)
				return nil
			}
			ok, err := s.recheck(ctx, tx, o, &short)
			if err != nil || !ok {
				return err
			}
			next, err := s.orders.Transition(ctx, tx, system, o, orders.StatusSending, db.ActionOrderSending,
				map[string]any{"approved_sha256": approvedHash})
			if err != nil {
				return err
			}
			at = &attempt{order: next, mode: fresh, actor: system, approvedAt: o.StatusChangedAt}
		case orders.StatusSending:
			if !sameApproval(o, version, approvedHash) {
				s.log.Warn("send: job is for another version of the order; skipping", "order", o.ID)
				return nil
			}
			at, err = s.takeOver(ctx, tx, o)
			if err != nil || at == nil {
				return err
			}
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
	if short {
		return nil, ErrShortOfFunds
	}
	return at, nil
}

// recheck is the last look at an approved order o (locked in tx) before
// it moves to sending. What fails is committed with tx and ok is false:
// nothing may be sent. *short is set when the funds held it back.
func (s *Sender) recheck(ctx context.Context, tx pgx.Tx, o orders.Order, short *bool) (ok bool, err error) {
	// The estimate is part of what was approved: priced again by the list
	// in force now, an amount that moved sends the order back for
	// approval and nothing is sent.
	if ok, err = s.orders.RecheckEstimate(ctx, tx, system, o); err != nil || !ok {
		if err == nil {
			s.log.Warn("send: the order's estimate changed since it was approved; returned for approval", "order", o.ID)
		}
		return ok, err
	}
	// So is its time: an approval its rule lets expire, and that has,
	// sends the order back for approval before anything leaves, whether or
	// not the periodic pass got there first.
	if ok, err = s.orders.RecheckApproval(ctx, tx, s.notifier, o); err != nil || !ok {
		if err == nil {
			s.log.Warn("send: the order's approval expired before it was sent; returned for approval", "order", o.ID)
		}
		return ok, err
	}
	// A delivery on a date checks the funds too (orders/delivery_funds.go).
	if o.DeliverAt.IsZero() || s.balances == nil {
		return true, nil
	}
	fen, known, lookupErr := s.balances.BalanceFen(ctx, o.AccountID)
	if lookupErr != nil || !known {
		// The purchase itself refuses a short balance with a definite
		// answer, so a lookup that fails does not hold the delivery back.
		s.log.Warn("send: the balance could not be read for a scheduled delivery; sending without the funds check",
			"order", o.ID, "error", lookupErr)
		return true, nil
	}
	if ok, err = s.orders.RecheckFunds(ctx, tx, s.notifier, o, fen); err == nil && !ok {
		s.log.Warn("send: the balance is short of a scheduled delivery; not sent, still approved", "order", o.ID)
		*short = true
	}
	return ok, err
}

func sameApproval(o orders.Order, version int, hash string) bool {
	return o.ParamsSHA256 == hash && (version == 0 || o.Version == version)
}

// takeOver handles an order a job finds already sending: the process that
// was sending it died (River rescued its job). If none of its attempts
// reached the call, nothing left the console and it is sent as if fresh.
// Otherwise the call may have bought: the order becomes unknown without a
// second call, and a CreateInstance order is resent at once with its
// ClientToken and the first call's key, which cannot buy twice.
func (s *Sender) takeOver(ctx context.Context, tx pgx.Tx, o orders.Order) (*attempt, error) {
	if _, err := db.InterruptOpenSendAttempts(ctx, tx, o.ID, 0); err != nil {
		return nil, err
	}
	sent, err := db.OrderMayHaveBeenSent(ctx, tx, o.ID)
	if err != nil {
		return nil, err
	}
	if !sent {
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderSendResumed,
			Subject: o.Subject(), Details: map[string]any{"reason": "the send was interrupted before the call was made; nothing had been sent, so it is sent now"}}); err != nil {
			return nil, err
		}
		return &attempt{order: o, mode: fresh, actor: system}, nil
	}
	reason := "a send was interrupted after its call was made; the call may have reached Tencent Cloud, so it is not made again"
	msg := "The console stopped while this order was being sent. It may or may not have been bought."
	if o.ClientToken != "" {
		reason = "a send was interrupted after its call was made; it is resent with the same ClientToken and key, which cannot buy twice"
		msg += " Dealdesk resends it with the same ClientToken to find out."
	}
	next, err := s.orders.Transition(ctx, tx, system, o, orders.StatusUnknown, db.ActionOrderSendInterrupted,
		map[string]any{"reason": reason})
	if err != nil {
		return nil, err
	}
	interrupted := db.SendOutcome{Outcome: string(tcapi.Unknown), ErrorMessage: msg}
	if err := db.RecordOrderOutcome(ctx, tx, o.ID, interrupted, true); err != nil {
		return nil, err
	}
	if err := s.tell(ctx, tx, next, interrupted); err != nil {
		return nil, err
	}
	if o.ClientToken == "" {
		return nil, nil
	}
	pinned, err := db.FirstCallSecretID(ctx, tx, o.ID)
	if err != nil {
		return nil, err
	}
	if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderResendingWithClientToken,
		Subject: o.Subject(), Details: map[string]any{"client_token": o.ClientToken, "version": o.Version,
			"secret_id": tcapi.MaskSecretID(pinned)}}); err != nil {
		return nil, err
	}
	if s.autoResends() {
		// The resend below runs in this job, and this process may die
		// during it too (the order is unknown by then, so no rescue of
		// this job would resend it). The first automatic resend, queued
		// in this transaction, is what makes sure one happens; if the
		// one below settles the order first, it finds nothing to do.
		if err := s.resends.ScheduleResend(ctx, tx, o.ID, 1, s.autoResendDelay(1)); err != nil {
			return nil, err
		}
	}
	// autoTry 0: an inconclusive answer queues nothing more; the resend
	// queued above follows it.
	return &attempt{order: next, mode: resend, secretID: pinned, actor: system}, nil
}

func (s *Sender) autoResends() bool { return s.resends != nil && s.cfg.AutoResendTries > 0 }

// call is step 2: open the credentials, then send the stored bytes. The
// client waits for the shared rate limit, checks the bytes, and runs
// BeforeWrite (which commits the attempt's calling_at) immediately before
// the request is written.
func (s *Sender) call(ctx context.Context, at *attempt) (tcapi.Result, error) {
	o := at.order
	creds, err := s.creds.Credentials(ctx, o.AccountID)
	refusal, refused := fault.As(err)
	switch {
	case refused:
		// The account refuses (disabled, keys missing or unopenable): no
		// retry can help, and a person must fix the account first.
		return tcapi.Result{Outcome: tcapi.NotSent}, &localError{code: "Dealdesk.CredentialsUnavailable",
			msg: "The account's credentials could not be used: " + refusal.Msg.String() + " Nothing was sent.", err: err}
	case err != nil:
		// The database or the context failed us: nothing was sent, and a
		// later try may not meet it.
		return tcapi.Result{Outcome: tcapi.NotSent}, &transientError{err: err,
			msg: "The account's credentials could not be read this time. Nothing was sent."}
	}
	if at.secretID != "" && creds.SecretID != at.secretID {
		return tcapi.Result{Outcome: tcapi.NotSent}, &localError{code: "Dealdesk.SecretIdChanged",
			msg: fmt.Sprintf("The account's keys were replaced after the first call (signed with SecretId %s; the account now has %s). A resend with the same ClientToken is made only with the key of the first call, so nothing was sent. Put that key back on the account to resend, or check the bill and record what you find.",
				tcapi.MaskSecretID(at.secretID), tcapi.MaskSecretID(creds.SecretID)), err: errors.New("secret id changed")}
	}
	req, err := o.Product.ParseParams(o.Params, o.Region)
	if err != nil {
		return tcapi.Result{Outcome: tcapi.NotSent}, &localError{code: "Dealdesk.InvalidParameters",
			msg: "The stored parameters no longer pass validation. Nothing was sent.", err: err}
	}
	callCtx, cancel := context.WithTimeout(ctx, s.cfg.CallTimeout)
	defer cancel()
	res, err := s.api.SendStored(callCtx, creds, tcapi.Stored{
		Request: req, Body: o.Params, SHA256: o.ParamsSHA256,
		BeforeWrite: func(ctx context.Context, secretID string) error {
			// Committed before the first byte leaves: from here on, a crash
			// leaves the evidence that the call may have left.
			return db.MarkAttemptCalling(ctx, s.pool, at.id, secretID)
		},
	})
	switch {
	case errors.Is(err, tcapi.ErrWireMismatch):
		return res, &localError{code: "Dealdesk.BytesDiffer",
			msg: "The bytes about to be sent did not hash to the approved parameters, so nothing was sent.", err: err}
	case errors.Is(err, db.ErrAttemptClosed):
		return res, err
	case errors.Is(err, tcapi.ErrNotCalled):
		return res, &transientError{err: err,
			msg: "The call could not be recorded as starting (the database was out of reach). Nothing was sent."}
	}
	return res, err
}

// localError is a reason Dealdesk itself did not send. Nothing left the
// console this time; a retry cannot help until a person fixes the cause.
type localError struct {
	code, msg string
	err       error
}

func (e *localError) Error() string { return "sending: " + e.msg + ": " + e.err.Error() }
func (e *localError) Unwrap() error { return e.err }

// transientError is a failure before anything was sent that a later try may
// not meet: reading the credentials or recording the call's start when the
// database was unreachable, or a shutdown cancelling the job.
type transientError struct {
	err error
	msg string
}

func (e *transientError) Error() string { return "sending: not sent this time: " + e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }
