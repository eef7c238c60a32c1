package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/sending"
)

// QueueReconcile holds the bill lookups of unknown orders: one at a time,
// so a slow lookup never delays a purchase on the send queue.
const QueueReconcile = "reconcile"

// ReconcileArgs asks for one pass over every unknown order
// (sending.Sender.ReconcileUnknown). River's periodic job inserts one every
// CONSOLE_RECONCILE_EVERY, on the leader replica only.
type ReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "reconcile_bill" }

// InsertOpts puts passes on their queue; a pass that fails is simply the
// next period's to repeat.
func (ReconcileArgs) InsertOpts() river.InsertOpts { return passOpts() }

// passOpts are the insert options of the sender's periodic passes over the
// bill (unknown orders' lookups, succeeded orders' billed amounts): one
// queue, and a failed pass is the next period's to repeat.
func passOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReconcile, MaxAttempts: 1}
}

// ReconcileConfig turns the periodic lookups on: Every 0 leaves them off.
type ReconcileConfig struct {
	Every time.Duration
	sending.ReconcileConfig
	// BillTolerancePercent is how far the billed amount of a succeeded
	// order may be from its estimate before it is flagged (the same
	// passes read the bills of succeeded orders).
	BillTolerancePercent int
}

// passWorker runs one of the sender's periodic passes over the bill: pass
// is sending.Sender.ReconcileUnknown or BillSucceeded with its settings.
type passWorker[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	pass    func(ctx context.Context, now time.Time) (int, error)
	timeout time.Duration
}

func (w *passWorker[A]) Timeout(*river.Job[A]) time.Duration { return w.timeout }

func (w *passWorker[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	_, err := w.pass(ctx, time.Now())
	return err
}

// reconcileWorker looks the unknown orders up.
func reconcileWorker(s *sending.Sender, cfg sending.ReconcileConfig, timeout time.Duration) *passWorker[ReconcileArgs] {
	return &passWorker[ReconcileArgs]{timeout: timeout, pass: func(ctx context.Context, now time.Time) (int, error) {
		return s.ReconcileUnknown(ctx, cfg, now)
	}}
}
