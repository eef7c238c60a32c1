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
func (ReconcileArgs) InsertOpts() river.InsertOpts {
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

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	sender  *sending.Sender
	cfg     sending.ReconcileConfig
	timeout time.Duration
}

func (w *reconcileWorker) Timeout(*river.Job[ReconcileArgs]) time.Duration { return w.timeout }

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	_, err := w.sender.ReconcileUnknown(ctx, w.cfg, time.Now())
	return err
}
