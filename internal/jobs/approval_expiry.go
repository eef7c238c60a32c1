package jobs

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/orders"
)

// approvalExpiryEvery is how often the console looks for approvals that
// expire: the shortest validity a rule may set is a minute, and the
// sender checks validity itself before every call, so a late pass only
// delays the order's return to the approvers' inbox, never lets it buy.
const approvalExpiryEvery = time.Minute

// ApprovalExpiryArgs is the periodic pass that returns approved orders
// whose approval expired and warns of those about to (issue 17, part 4).
type ApprovalExpiryArgs struct{}

// Kind names the job in River's table.
func (ApprovalExpiryArgs) Kind() string { return "expire_approvals" }

// InsertOpts keeps passes on the maintenance queue (one worker).
func (ApprovalExpiryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueMaintenance}
}

type approvalExpiryWorker struct {
	river.WorkerDefaults[ApprovalExpiryArgs]
	// orders is the service UseRenewals sets (with its notifier).
	orders *atomic.Pointer[orders.Service]
	now    func() time.Time
	log    *slog.Logger
}

// Work judges every approved order whose approval may expire, each under
// its own lock (orders.ExpireApprovals), so two replicas' passes return or
// warn of each order once.
func (w *approvalExpiryWorker) Work(ctx context.Context, _ *river.Job[ApprovalExpiryArgs]) error {
	svc := w.orders.Load()
	if svc == nil {
		return nil
	}
	got, err := svc.ExpireApprovals(ctx, w.now())
	if err != nil {
		return err
	}
	if len(got.Returned) > 0 || len(got.Warned) > 0 {
		w.log.Info("approvals expired or expiring", "returned", got.Returned, "warned", got.Warned)
	}
	return nil
}
