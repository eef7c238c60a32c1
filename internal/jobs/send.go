package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// QueueSend holds purchases. A queue of their own, so webhook deliveries
// never stand between an approved order and its send.
const QueueSend = "send"

// SendArgs is one send of one approved order. ParamsSHA256 is the hash the
// approvers approved and Version the order version they approved: the worker
// sends only an order that is still at both. The version matters for
// uniqueness too: an edit of the title alone keeps the hash but bumps the
// version, so the re-approved order gets a job of its own instead of being
// taken for a duplicate of the finished one.
type SendArgs struct {
	OrderID      int64  `json:"order_id"`
	Version      int    `json:"version"`
	ParamsSHA256 string `json:"params_sha256"`
	// Round is the order's approval round (migration 028): an order whose
	// approval expired and that was approved again at the same version
	// and hash gets a job of its own. Omitted while 0, so the jobs of
	// orders never returned keep their arguments.
	Round int `json:"round,omitempty"`
}

// Kind implements river.JobArgs.
func (SendArgs) Kind() string { return "send_order" }

// InsertOpts puts sends on their queue, once per order, version and hash: the same
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
	err := w.sender.SendVersion(ctx, job.Args.OrderID, job.Args.Version, job.Args.ParamsSHA256)
	if errors.Is(err, sending.ErrRetry) {
		// Throttled or never sent: nothing was bought. Try again soon,
		// without spending one of the job's attempts.
		return river.JobSnooze(retryDelay(job.Attempt))
	}
	if errors.Is(err, sending.ErrShortOfFunds) {
		// Recorded on the order, which stays approved. Cancelled rather
		// than completed, so a person's "send again" after a top-up is a
		// job of its own and not a duplicate of this one.
		return river.JobCancel(err)
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
	// An order to be bought on or after a date still ahead waits for it
	// (orders/delivery.go): River holds the job as scheduled until then,
	// and the sender checks the approval again when it runs.
	var opts *river.InsertOpts
	if o.DeliverAt.After(time.Now()) {
		opts = &river.InsertOpts{ScheduledAt: o.DeliverAt}
	}
	res, err := q.client.InsertTx(ctx, tx, SendArgs{OrderID: o.ID, Version: o.Version, ParamsSHA256: o.ParamsSHA256, Round: o.ApprovalRound}, opts)
	if err != nil {
		return fmt.Errorf("jobs: enqueue send of order %d: %w", o.ID, err)
	}
	if res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateCompleted {
		// A finished job for this very version and hash means the order
		// was already sent or given up on; saying "queued" would be false.
		return fmt.Errorf("jobs: order %d version %d already had its send job; nothing new queued", o.ID, o.Version)
	}
	return nil
}

var _ orders.SendEnqueuer = (*Queue)(nil)
