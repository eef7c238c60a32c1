package jobs

import (
	"context"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// sendJobState is the state of the order's send job ("" when none).
func sendJobState(t *testing.T, f *fixture, orderID int64) string {
	t.Helper()
	var state string
	err := f.pool.QueryRow(context.Background(), `SELECT COALESCE(max(state::text), '') FROM river_job
		WHERE kind = 'send_order' AND (args->>'order_id')::bigint = $1`, orderID).Scan(&state)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// A delivery on a date, with two replicas working the same queue: the
// approval queues the send for its time, nothing is called before it, and
// at its time the order is bought exactly once. Another order's delivery,
// cancelled before its time, is never called, and stays approved without
// a date.
func TestScheduledDeliverySendsOnceAtItsTimeAndCancelsBefore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simID: simKey}})
	var queues []*Queue
	for _, replica := range []string{"one", "two"} {
		client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(f.pool, 20)})
		if err != nil {
			t.Fatal(err)
		}
		sender := sending.New(f.pool, f.svc, simKeys{}, client, sending.Config{Replica: replica}, nil)
		q, err := New(f.pool, Config{Sender: sender, SendTimeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), guard)
			defer cancel()
			_ = q.Stop(stopCtx)
		})
		queues = append(queues, q)
	}
	svc := f.svc.WithHooks(orders.Hooks{Send: queues[1]})
	f.policy(t, "", orders.WebhookGeneric) // sends on approval

	deliver := func(at time.Time) orders.Order {
		t.Helper()
		o := f.submit(t)
		if _, err := svc.SetDelivery(ctx, f.requester, o.ID, at); err != nil {
			t.Fatal(err)
		}
		o, err := svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{NotDuplicate: true})
		if err != nil || o.Status != orders.StatusApproved || !o.DeliveryScheduled(time.Now()) {
			t.Fatalf("approve: %s %v", o.Status, err)
		}
		if st := sendJobState(t, f, o.ID); st != "scheduled" {
			t.Fatalf("the send job is %q, want scheduled", st)
		}
		return o
	}
	later := deliver(time.Now().Add(time.Hour))
	soon := deliver(time.Now().Add(3 * time.Second))

	// Cancelled before its time: the job is taken back.
	got, err := svc.CancelScheduledDelivery(ctx, f.requester, later.ID)
	if err != nil || got.Status != orders.StatusApproved || !got.DeliverAt.IsZero() {
		t.Fatalf("cancel: %s %v at %s", got.Status, err, got.DeliverAt)
	}
	if st := sendJobState(t, f, later.ID); st != "" {
		t.Fatalf("a cancelled delivery's job is %q", st)
	}
	if _, err := svc.CancelScheduledDelivery(ctx, f.requester, later.ID); err == nil {
		t.Fatal("cancelled twice")
	}
	if len(sim.Calls()) != 0 {
		t.Fatalf("%d calls before any delivery time", len(sim.Calls()))
	}

	// Either replica may take the job: wait for the order, not for one
	// queue's events.
	deadline := time.Now().Add(guard)
	for sendJobState(t, f, soon.ID) != "completed" {
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled send never finished: job %q", sendJobState(t, f, soon.ID))
		}
		time.Sleep(100 * time.Millisecond)
	}
	done, _ := f.svc.Get(ctx, soon.ID)
	if done.Status != orders.StatusSucceeded || len(sim.Calls()) != 1 || !done.Sent.SentAt.After(soon.DeliverAt) {
		t.Fatalf("at its time: %s, %d calls, sent at %v for %s", done.Status, len(sim.Calls()), done.Sent.SentAt, soon.DeliverAt)
	}
	if o, _ := f.svc.Get(ctx, later.ID); o.Status != orders.StatusApproved {
		t.Fatalf("the cancelled delivery's order is %s", o.Status)
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1 AND subject = $2`,
		db.ActionOrderDeliveryCancelled, later.Subject()).Scan(&n); err != nil || n != 1 {
		t.Fatalf("cancel audit events %d %v", n, err)
	}
}
