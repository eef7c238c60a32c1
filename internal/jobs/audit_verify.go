package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
)

// QueueAudit holds checks of the audit chain and its anchors: one at a
// time per replica, so a long walk never takes more than one connection.
const QueueAudit = "audit"

// AuditVerifyArgs is one check of the whole audit chain (a row of
// audit_verifications, migration 012).
type AuditVerifyArgs struct {
	VerificationID int64 `json:"verification_id"`
}

// Kind implements river.JobArgs.
func (AuditVerifyArgs) Kind() string { return "audit_verify" }

// InsertOpts puts checks on the audit queue. Three attempts: a check that
// fails three times (the database went away) is recorded as failed.
func (AuditVerifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueAudit, MaxAttempts: 3}
}

// AuditActor is who asks for a check, as the audit log records them.
type AuditActor struct {
	UserID     int64
	RemoteAddr string
	RequestID  string
}

// StartAuditVerification records a check asked for by actor and queues its
// job in the same transaction, with its audit event. When a check is
// already queued or running it starts none and returns that one's id with
// started false: one walk at a time is enough, and the page shows it.
func (q *Queue) StartAuditVerification(ctx context.Context, actor AuditActor) (id int64, started bool, err error) {
	err = db.InTx(ctx, q.pool, func(tx pgx.Tx) error {
		active, err := db.ActiveAuditVerification(ctx, tx)
		if err == nil {
			id = active
			return nil
		}
		if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if id, err = db.InsertAuditVerification(ctx, tx, actor.UserID); err != nil {
			return err
		}
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{
			Actor: strconv.FormatInt(actor.UserID, 10), Action: db.ActionAuditVerificationRequested,
			Subject: verificationSubject(id), RemoteAddr: actor.RemoteAddr, RequestID: actor.RequestID,
		}); err != nil {
			return err
		}
		if _, err := q.client.InsertTx(ctx, tx, AuditVerifyArgs{VerificationID: id}, nil); err != nil {
			return fmt.Errorf("jobs: queue audit verification %d: %w", id, err)
		}
		started = true
		return nil
	})
	if errors.Is(err, db.ErrConflict) {
		// Another request started one between our look and our insert.
		id, err = db.ActiveAuditVerification(ctx, q.pool)
		return id, false, err
	}
	return id, started, err
}

func verificationSubject(id int64) string { return "audit_verification:" + strconv.FormatInt(id, 10) }

type auditVerifyWorker struct {
	river.WorkerDefaults[AuditVerifyArgs]
	pool     *pgxpool.Pool
	log      *slog.Logger
	pageSize int
	// every is the least time between two progress writes.
	every   time.Duration
	timeout time.Duration
}

// Timeout lets a walk of millions of entries finish.
func (w *auditVerifyWorker) Timeout(*river.Job[AuditVerifyArgs]) time.Duration { return w.timeout }

func (w *auditVerifyWorker) Work(ctx context.Context, job *river.Job[AuditVerifyArgs]) error {
	err := RunAuditVerification(ctx, w.pool, job.Args.VerificationID, VerifyRun{PageSize: w.pageSize, ProgressEvery: w.every, Attempt: job.Attempt})
	if err == nil || errors.Is(err, errVerificationDone) {
		return nil
	}
	w.log.Error("audit verification", "verification", job.Args.VerificationID, "attempt", job.Attempt, "err", err)
	if job.Attempt >= job.MaxAttempts {
		if ferr := finishFailed(context.WithoutCancel(ctx), w.pool, job.Args.VerificationID); ferr != nil {
			w.log.Error("audit verification: recording the failure", "verification", job.Args.VerificationID, "err", ferr)
		}
	}
	return err
}

// VerifyRun tunes RunAuditVerification.
type VerifyRun struct {
	// PageSize is how many entries are read at a time; 0 means 5000.
	PageSize int
	// ProgressEvery is the least time between two progress writes; 0 writes
	// after every page.
	ProgressEvery time.Duration
	// Attempt is River's attempt number, for the audit event.
	Attempt int
}

// errVerificationDone means the check had already finished: a job run
// twice has nothing left to do.
var errVerificationDone = errors.New("jobs: audit verification already finished")

// RunAuditVerification is the job's work, exported so tests and the web
// tests can run a check without a running queue: mark it running, walk the
// chain writing progress, record what it found. Each state change commits
// with its audit event; the progress writes are not state changes and
// write none.
func RunAuditVerification(ctx context.Context, pool *pgxpool.Pool, id int64, run VerifyRun) error {
	subject := verificationSubject(id)
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := db.StartAuditVerification(ctx, tx, id); err != nil {
			return err
		}
		_, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionAuditVerificationStarted,
			Subject: subject, Details: map[string]any{"attempt": run.Attempt}})
		return err
	})
	if errors.Is(err, db.ErrNotFound) {
		return errVerificationDone
	}
	if err != nil {
		return err
	}
	var lastWrite time.Time
	rep, err := db.VerifyAuditChainWith(ctx, pool, db.VerifyOptions{
		PageSize: run.PageSize,
		Progress: func(rep db.ChainReport) error {
			if time.Since(lastWrite) < run.ProgressEvery {
				return nil
			}
			lastWrite = time.Now()
			return db.SetAuditVerificationProgress(ctx, pool, id, rep)
		},
	})
	if err != nil {
		return err
	}
	return db.InTx(ctx, pool, func(tx pgx.Tx) error {
		status, err := db.FinishAuditVerification(ctx, tx, id, rep, false)
		if err != nil {
			return err
		}
		details := map[string]any{"status": status, "checked": rep.Checked, "head_seq": rep.HeadSeq, "head_hash": rep.Head}
		if b := rep.Broken; b != nil {
			details["broken_seq"], details["broken_id"], details["broken_reason"] = b.ChainSeq, b.ID, b.Reason
		}
		_, err = db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionAuditVerificationFinished,
			Subject: subject, Details: details})
		return err
	})
}

// finishFailed records that a check gave up, with its audit event.
func finishFailed(ctx context.Context, pool *pgxpool.Pool, id int64) error {
	return db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := db.FinishAuditVerification(ctx, tx, id, db.ChainReport{}, true); err != nil {
			return err
		}
		_, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionAuditVerificationFailed,
			Subject: verificationSubject(id)})
		return err
	})
}
