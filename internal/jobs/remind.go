package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// RemindArgs is the periodic pass that tells again of orders whose
// outcome stays unknown.
type RemindArgs struct{}

// Kind names the job in River's table.
func (RemindArgs) Kind() string { return "remind_unknown" }

// InsertOpts keeps passes on the notify queue.
func (RemindArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueNotify} }

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	sender *sending.Sender
	queue  *Queue
	every  time.Duration
}

// Work tells each unknown order again, at most once per period.
func (w *remindWorker) Work(ctx context.Context, _ *river.Job[RemindArgs]) error {
	_, err := w.sender.RemindUnknown(ctx, periodNotifier{q: w.queue, every: w.every})
	return err
}

// periodNotifier inserts notices unique by their arguments within a
// period: River's unique index (not a check in Go) makes a second pass in
// the same period, from this replica or another, insert nothing.
type periodNotifier struct {
	q     *Queue
	every time.Duration
}

func (p periodNotifier) EnqueueNotice(ctx context.Context, tx pgx.Tx, n orders.Notice) error {
	opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: p.every}}
	if err := p.q.enqueueNotice(ctx, tx, n, true, opts); err != nil {
		return fmt.Errorf("jobs: queue the reminder for order %d: %w", n.OrderID, err)
	}
	return nil
}

// NotifiesPeople follows the queue's: reminders go by e-mail too.
func (p periodNotifier) NotifiesPeople() bool { return p.q.NotifiesPeople() }
