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

// InsertOpts puts passes on the reconcile queue (passOpts).
func (BillArgs) InsertOpts() river.InsertOpts { return passOpts() }

// billWorker reads the succeeded orders' bills.
func billWorker(s *sending.Sender, cfg sending.BillConfig, timeout time.Duration) *passWorker[BillArgs] {
	return &passWorker[BillArgs]{timeout: timeout, pass: func(ctx context.Context, now time.Time) (int, error) {
		return s.BillSucceeded(ctx, cfg, now)
	}}
}
