package sending

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// testClock is a clock a test sets.
type testClock struct{ t atomic.Pointer[time.Time] }

func newTestClock(at time.Time) *testClock {
	c := &testClock{}
	c.Set(at)
	return c
}

func (c *testClock) Set(at time.Time) { c.t.Store(&at) }
func (c *testClock) Now() time.Time   { return *c.t.Load() }

// noticeRecorder keeps the notices queued, as the job queue would.
type noticeRecorder struct {
	mu      sync.Mutex
	notices []orders.Notice
}

func (r *noticeRecorder) EnqueueNotice(_ context.Context, _ pgx.Tx, n orders.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notices = append(r.notices, n)
	return nil
}

func (r *noticeRecorder) NotifiesPeople() bool { return true }

func (r *noticeRecorder) of(ev orders.NoticeEvent) []orders.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []orders.Notice
	for _, n := range r.notices {
		if n.Event == ev {
			out = append(out, n)
		}
	}
	return out
}

func expiryOf(t *testing.T, pool db.Pool, account int64, target string) db.InstanceExpiry {
	t.Helper()
	var e db.InstanceExpiry
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var ok bool
		var err error
		e, ok, err = db.LockInstanceExpiry(context.Background(), tx, account, target)
		if err == nil && !ok {
			t.Fatalf("no expiry recorded for %s", target)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestRenewalDraftedOnceBeforeExpiryAndMovedByItsRenewal is issue 18 part
// 5's promise, on a controlled clock: a Cloud Firewall instance bought for
// a month (Period's default) expires a month after its purchase succeeded;
// its renewal is drafted, for the person who bought it, no earlier than 30
// days (the account's default) before that, exactly once although two
// replicas run the pass at once, again and again; and the renewal, approved
// and sent to the sandbox, moves the expiry on by its month.
func TestRenewalDraftedOnceBeforeExpiryAndMovedByItsRenewal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bought := time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)
	clock := newTestClock(bought)
	notices := &noticeRecorder{}
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service {
		return s.WithClock(clock.Now).WithHooks(orders.Hooks{Notify: notices})
	})
	purchase := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	if err := f.sender.Send(ctx, purchase.ID, purchase.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	purchase = f.get(t, purchase.ID)
	if purchase.Status != orders.StatusSucceeded || len(purchase.Sent.InstanceIDs) != 1 {
		t.Fatalf("purchase: %s, instances %v", purchase.Status, purchase.Sent.InstanceIDs)
	}
	instance := purchase.Sent.InstanceIDs[0]
	e := expiryOf(t, f.pool, purchase.AccountID, instance)
	if want := bought.AddDate(0, 1, 0); !e.ExpiresAt.Equal(want) || e.AutoRenew || e.BoughtByOrderID != purchase.ID {
		t.Fatalf("expiry %+v, want %s, not auto-renewing, bought by order %d", e, want, purchase.ID)
	}

	// A minute before the lead time begins, nothing is due.
	leadStarts := e.ExpiresAt.AddDate(0, 0, -30)
	got, err := f.svc.DraftDueRenewals(ctx, leadStarts.Add(-time.Minute))
	if err != nil || len(got.Drafted) != 0 {
		t.Fatalf("before the lead time: drafted %v, err %v", got.Drafted, err)
	}

	// Two replicas, each with its own service, race the pass several times.
	replicas := []*orders.Service{
		orders.NewService(f.pool).WithHooks(orders.Hooks{Notify: notices}),
		orders.NewService(f.pool).WithHooks(orders.Hooks{Notify: notices}),
	}
	var drafted []int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, r := range replicas {
		for range 3 {
			wg.Go(func() {
				<-start
				got, err := r.DraftDueRenewals(ctx, leadStarts)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				drafted = append(drafted, got.Drafted...)
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()
	if len(drafted) != 1 {
		t.Fatalf("drafted %v, want exactly one renewal", drafted)
	}
	renewal := f.get(t, drafted[0])
	var body struct{ InstanceId string }
	_ = json.Unmarshal(renewal.Params, &body)
	if renewal.Status != orders.StatusDraft || renewal.Product != orders.ProductBillingRenew ||
		renewal.RequesterID != purchase.RequesterID || body.InstanceId != instance {
		t.Fatalf("renewal draft: %s %s by %d of %q; want a draft RenewInstance of %s by %d",
			renewal.Status, renewal.Product, renewal.RequesterID, body.InstanceId, instance, purchase.RequesterID)
	}
	var renewals, dueEvents int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM orders WHERE renewal_of_id = $1`, purchase.ID).Scan(&renewals); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1 AND subject = $2`,
		db.ActionOrderRenewalDue, renewal.Subject()).Scan(&dueEvents); err != nil {
		t.Fatal(err)
	}
	if renewals != 1 || dueEvents != 1 {
		t.Fatalf("%d renewal orders and %d %s events, want one of each", renewals, dueEvents, db.ActionOrderRenewalDue)
	}
	if due := notices.of(orders.NoticeRenewalDue); len(due) != 1 || due[0].OrderID != renewal.ID || due[0].RequesterID != purchase.RequesterID {
		t.Fatalf("renewal_due notices %+v, want one for order %d to its buyer", due, renewal.ID)
	}

	// The buyer submits it; it is approved and sent ten days later.
	clock.Set(bought.AddDate(0, 0, 10))
	renewal = orderstest.Move(t, f.pool, f.svc, orders.Actor{}, renewal, orders.StatusPendingApproval, orders.StatusApproved)
	if err := f.sender.Send(ctx, renewal.ID, renewal.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, renewal.ID); got.Status != orders.StatusSucceeded {
		t.Fatalf("renewal sent: %s", got.Status)
	}
	moved := expiryOf(t, f.pool, purchase.AccountID, instance)
	if want := e.ExpiresAt.AddDate(0, 1, 0); !moved.ExpiresAt.Equal(want) || moved.LastOrderID != renewal.ID || moved.BoughtByOrderID != purchase.ID {
		t.Fatalf("after the renewal: %+v, want expiry %s, last order %d, bought by %d", moved, want, renewal.ID, purchase.ID)
	}
	// The new expiry's lead time has not begun: nothing more is drafted.
	if got, err := f.svc.DraftDueRenewals(ctx, leadStarts.Add(time.Hour)); err != nil || len(got.Drafted) != 0 {
		t.Fatalf("after the renewal: drafted %v, err %v", got.Drafted, err)
	}
}

// TestAutoRenewingInstanceIsRecordedAndNotDrafted: a WAF purchase with
// AutoRenewFlag 1 renews itself at Tencent Cloud; the console records it as
// such and never drafts its renewal.
func TestAutoRenewingInstanceIsRecordedAndNotDrafted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bought := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service { return s.WithClock(func() time.Time { return bought }) })
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	o = f.get(t, o.ID)
	if o.Status != orders.StatusSucceeded || len(o.Sent.InstanceIDs) != 1 {
		t.Fatalf("purchase: %s, instances %v", o.Status, o.Sent.InstanceIDs)
	}
	e := expiryOf(t, f.pool, o.AccountID, o.Sent.InstanceIDs[0])
	if !e.AutoRenew || !e.ExpiresAt.Equal(bought.AddDate(0, 1, 0)) {
		t.Fatalf("expiry %+v, want auto-renewing, a month after %s", e, bought)
	}
	got, err := f.svc.DraftDueRenewals(ctx, e.ExpiresAt.Add(-24*time.Hour))
	if err != nil || len(got.Drafted) != 0 {
		t.Fatalf("drafted %v (err %v) for an auto-renewing instance", got.Drafted, err)
	}
}
