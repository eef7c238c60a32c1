package jobs

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/orders"
)

// renewalsEvery is how often the console looks for renewals to draft: an
// expiry is known weeks ahead, so an hour late is never too late.
const renewalsEvery = time.Hour

// RenewalsArgs is the periodic pass that drafts the renewals whose lead time
// before expiry has begun.
type RenewalsArgs struct{}

// Kind names the job in River's table.
func (RenewalsArgs) Kind() string { return "draft_renewals" }

// InsertOpts keeps passes on the maintenance queue (one worker).
func (RenewalsArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: QueueMaintenance} }

type renewalsWorker struct {
	river.WorkerDefaults[RenewalsArgs]
	// orders is set by UseRenewals before the queue starts: the service
	// that drafts needs the queue (for its notices) that runs this worker.
	orders *atomic.Pointer[orders.Service]
	now    func() time.Time
	log    *slog.Logger
}

// Work drafts what is due now. A pass racing another replica's drafts each
// renewal once (orders.DraftDueRenewals).
func (w *renewalsWorker) Work(ctx context.Context, _ *river.Job[RenewalsArgs]) error {
	svc := w.orders.Load()
	if svc == nil {
		return nil
	}
	got, err := svc.DraftDueRenewals(ctx, w.now())
	if err != nil {
		return err
	}
	if len(got.Drafted) > 0 || got.Skipped > 0 {
		w.log.Info("renewals drafted", "drafted", len(got.Drafted), "skipped", got.Skipped)
	}
	return nil
}

// UseRenewals sets the orders service (with its notifier) that drafts
// renewals; without one, the pass drafts nothing.
func (q *Queue) UseRenewals(svc *orders.Service) { q.renewals.Store(svc) }
