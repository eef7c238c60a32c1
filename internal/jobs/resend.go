package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"dealdesk/internal/sending"
)

// ResendArgs is automatic resend number Try of an unknown CreateInstance
// order, with its ClientToken and the key of its first call.
type ResendArgs struct {
	OrderID int64 `json:"order_id"`
	Try     int   `json:"try"`
}

// Kind implements river.JobArgs.
func (ResendArgs) Kind() string { return "resend_order" }

// InsertOpts puts resends on the send queue, once per order and try: a try
// queued twice (two workers recording the same answer) is one job. A second
// resend with the same token and key could not buy twice anyway.
func (ResendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueSend,
		MaxAttempts: 50,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

type resendWorker struct {
	river.WorkerDefaults[ResendArgs]
	sender  *sending.Sender
	timeout time.Duration
}

// Timeout lets one call run to its own deadline and record its outcome.
func (w *resendWorker) Timeout(*river.Job[ResendArgs]) time.Duration { return w.timeout }

func (w *resendWorker) Work(ctx context.Context, job *river.Job[ResendArgs]) error {
	return w.sender.AutoResend(ctx, job.Args.OrderID, job.Args.Try)
}

// ScheduleResend queues an automatic resend inside the caller's transaction
// (sending.ResendScheduler).
func (q *Queue) ScheduleResend(ctx context.Context, tx pgx.Tx, orderID int64, try int, delay time.Duration) error {
	opts := &river.InsertOpts{}
	if delay > 0 {
		opts.ScheduledAt = time.Now().Add(delay)
	}
	if _, err := q.client.InsertTx(ctx, tx, ResendArgs{OrderID: orderID, Try: try}, opts); err != nil {
		return fmt.Errorf("jobs: schedule resend %d of order %d: %w", try, orderID, err)
	}
	return nil
}

var _ sending.ResendScheduler = (*Queue)(nil)
