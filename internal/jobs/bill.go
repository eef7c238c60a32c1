package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/sending"
)

// BillArgs asks for one pass over the recently succeeded orders whose bill
// is not read yet (sending.Sender.BillSucceeded): the billed amount,
// discount and voucher (issue 16, part 3). River's periodic job inserts one
// every CONSOLE_RECONCILE_EVERY on the leader, beside the unknown orders'
// lookups, on the same one-at-a-time queue.
type BillArgs struct{}

// Kind implements river.JobArgs.
func (BillArgs) Kind() string { return "bill_amounts" }

// InsertOpts puts passes on the reconcile queue; a pass that fails is the
// next period's to repeat.
func (BillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueReconcile, MaxAttempts: 1}
}

type billWorker struct {
	river.WorkerDefaults[BillArgs]
	sender  *sending.Sender
	cfg     sending.BillConfig
	timeout time.Duration
}

func (w *billWorker) Timeout(*river.Job[BillArgs]) time.Duration { return w.timeout }

func (w *billWorker) Work(ctx context.Context, _ *river.Job[BillArgs]) error {
	_, err := w.sender.BillSucceeded(ctx, w.cfg, time.Now())
	return err
}
