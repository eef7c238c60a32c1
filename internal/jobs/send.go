package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// QueueSend holds purchases. A queue of their own, so webhook deliveries
// never stand between an approved order and its send.
const QueueSend = "send"

// SendArgs is one send of one approved order. ParamsSHA256 is the hash the
// approvers approved: the worker sends only an order that still carries it.
type SendArgs struct {
	OrderID      int64  `json:"order_id"`
	ParamsSHA256 string `json:"params_sha256"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "send_order" }

// InsertOpts puts sends on their queue, once per order and hash: the same
// approval enqueued twice (a retried request, auto-send and a person pressing
// Send) is one job. Uniqueness is a courtesy; the order's conditional status
// change is what guarantees one send.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueSend,
		MaxAttempts: 50,
		UniqueOpts:  river.UniqueOpts{ByArgs: true},
	}
}

type sendWorker struct {
	river.WorkerDefaults[SendArgs]
	sender *sending.Sender
	// timeout is the call's deadline and a little more. The outcome is
	// recorded under a context of its own, so River's timeout cannot cut
	// the recording short.
	timeout time.Duration
}

// Timeout lets one call run to its own deadline and record its outcome.
func (w *sendWorker) Timeout(*river.Job[SendArgs]) time.Duration { return w.timeout }

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	err := w.sender.Send(ctx, job.Args.OrderID, job.Args.ParamsSHA256)
	if errors.Is(err, sending.ErrRetry) {
		// Throttled or never sent: nothing was bought. Try again soon,
		// without spending one of the job's attempts.
		return river.JobSnooze(retryDelay(job.Attempt))
	}
	return err
}

func retryDelay(attempt int) time.Duration {
	d := time.Duration(attempt) * time.Second
	return min(d, 30*time.Second)
}

// EnqueueSend queues the send of an approved order inside the approving
// transaction (orders.SendEnqueuer).
func (q *Queue) EnqueueSend(ctx context.Context, tx pgx.Tx, o orders.Order) error {
	if _, err := q.client.InsertTx(ctx, tx, SendArgs{OrderID: o.ID, ParamsSHA256: o.ParamsSHA256}, nil); err != nil {
		return fmt.Errorf("jobs: enqueue send of order %d: %w", o.ID, err)
	}
	return nil
}

var _ orders.SendEnqueuer = (*Queue)(nil)
