package sending

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// The sender looks at the approval's time too: an order approved under a
// rule whose approvals stay valid a minute, sent after the minute (the
// periodic pass not having run yet), is not sent at all. The sandbox
// records no call, and the order waits for approval again, never failed.
func TestSendRechecksTheApprovalsValidity(t *testing.T) {
	t.Parallel()
	var clock atomic.Pointer[time.Time]
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service {
		return s.WithClock(func() time.Time {
			if at := clock.Load(); at != nil {
				return *at
			}
			return time.Now()
		})
	})
	ctx := context.Background()
	o, _, _ := orderstest.ApprovedFor(t, f.pool, f.svc, orders.ProductBilling, 60)
	later := o.StatusChangedAt.Add(61 * time.Second)
	clock.Store(&later)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if n := len(f.sim.Calls()); n != 0 {
		t.Fatalf("the sandbox received %d calls for an expired approval", n)
	}
	got := f.get(t, o.ID)
	if at, expired := got.ApprovalExpired(); got.Status != orders.StatusPendingApproval || !expired || at.IsZero() {
		t.Fatalf("order is %s, expired %v", got.Status, expired)
	}
	attempts, err := f.svc.SendAttempts(ctx, o.ID)
	if err != nil || len(attempts) != 0 {
		t.Fatalf("%d send attempts recorded %v", len(attempts), err)
	}
	// Within the minute, the same send goes out.
	o2, _, _ := orderstest.ApprovedFor(t, f.pool, f.svc, orders.ProductTCB, 60)
	soon := o2.StatusChangedAt.Add(30 * time.Second)
	clock.Store(&soon)
	if err := f.sender.Send(ctx, o2.ID, o2.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o2.ID); got.Status != orders.StatusSucceeded || len(f.sim.Calls()) != 1 {
		t.Fatalf("a valid approval: order %s, %d calls", got.Status, len(f.sim.Calls()))
	}
}
