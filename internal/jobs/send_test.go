package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

const (
	simID  = "AKIDjobssendtest00000000000000000001"
	simKey = "jobssendtestsecretkey00000000001"
)

type simKeys struct{}

func (simKeys) Credentials(context.Context, int64) (tcapi.Credentials, error) {
	return tcapi.Credentials{SecretID: simID, SecretKey: simKey}, nil
}

// An approval queues the send in its transaction; the worker sends it once.
// A throttled answer is snoozed and tried again, not failed.
func TestApprovalQueuesASendThatBuysOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simID: simKey},
		// The instance orderstest's RenewInstance body renews.
		Resources: []tcsim.Resource{{ID: "cfwi-0a1b2c3d", Product: "p_cloudfirewall"}}})
	if _, err := sim.AddFault(tcsim.Fault{ErrorCode: "RequestLimitExceeded", Times: 1}); err != nil {
		t.Fatal(err)
	}
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(f.pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	sender := sending.New(f.pool, f.svc, simKeys{}, client, sending.Config{Replica: "test"}, nil)
	q, err := New(f.pool, Config{Sender: sender, SendTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobSnoozed)
	defer unsubscribe()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), guard)
		defer cancel()
		_ = q.Stop(stopCtx)
	})
	svc := f.svc.WithHooks(orders.Hooks{Send: q})

	o := f.submit(t)
	if _, err := svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "go", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	// Approving twice cannot happen, but enqueueing the same send twice
	// (a person pressing Send after auto-send) must stay one job.
	o, _ = svc.Get(ctx, o.ID)
	if err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error { return q.EnqueueSend(ctx, tx, o) }); err != nil {
		t.Fatal(err)
	}

	var kinds []river.EventKind
	for done := false; !done; {
		ev := next(t, events)
		if ev.Job.Kind != (SendArgs{}).Kind() {
			continue
		}
		kinds = append(kinds, ev.Kind)
		done = ev.Kind == river.EventKindJobCompleted || ev.Kind == river.EventKindJobFailed
	}
	if len(kinds) != 2 || kinds[0] != river.EventKindJobSnoozed || kinds[1] != river.EventKindJobCompleted {
		t.Fatalf("job events %v, want snoozed then completed", kinds)
	}
	got, _ := f.svc.Get(ctx, o.ID)
	if got.Status != orders.StatusSucceeded {
		t.Fatalf("order is %s", got.Status)
	}
	var calls, bought int
	for _, c := range sim.Calls() {
		calls++
		if c.Bought {
			bought++
		}
	}
	if calls != 2 || bought != 1 {
		t.Fatalf("%d calls (1 throttled), %d purchases", calls, bought)
	}
	var jobsForOrder int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'send_order' AND (args->>'order_id')::bigint = $1`, o.ID).Scan(&jobsForOrder); err != nil {
		t.Fatal(err)
	}
	if jobsForOrder != 1 {
		t.Fatalf("%d send jobs for one order", jobsForOrder)
	}
}

// An edit of the title alone keeps the parameter hash but makes a new
// version; once re-approved it needs a send of its own, even though the
// earlier version's job has finished. (Unique by order and hash alone, River
// took the new job for a duplicate of the finished one and queued nothing.)
func TestReapprovedVersionWithTheSameHashGetsItsOwnJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	sender := sending.New(f.pool, f.svc, simKeys{}, nil, sending.Config{}, nil)
	q, err := New(f.pool, Config{Sender: sender}) // never started: insert only
	if err != nil {
		t.Fatal(err)
	}
	svc := f.svc.WithHooks(orders.Hooks{Send: q})
	o := f.submit(t)
	if o, err = svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "go", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	// The first job ran and finished (it found the order edited).
	if _, err := f.pool.Exec(ctx, `UPDATE river_job SET state = 'completed', finalized_at = now() WHERE kind = 'send_order'`); err != nil {
		t.Fatal(err)
	}
	d := orders.Draft{Product: o.Product, AccountID: o.AccountID, Title: "A better title", Justification: o.Justification, Params: o.Params}
	v2, err := svc.Update(ctx, f.requester, o.ID, o.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if v2.ParamsSHA256 != o.ParamsSHA256 || v2.Version == o.Version {
		t.Fatalf("setup: hash %s → %s, version %d → %d", o.ParamsSHA256, v2.ParamsSHA256, o.Version, v2.Version)
	}
	if v2, err = svc.Submit(ctx, f.requester, v2.ID, v2.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, f.approver, v2.ID, v2.Version, v2.ParamsSHA256, "again", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	waiting, err := db.SendJobWaiting(ctx, f.pool, o.ID)
	if err != nil || !waiting {
		t.Fatalf("re-approved version has no send waiting (err %v)", err)
	}
	var version int
	if err := f.pool.QueryRow(ctx, `SELECT (args->>'version')::int FROM river_job WHERE kind = 'send_order' AND state = 'available'`).Scan(&version); err != nil || version != v2.Version {
		t.Fatalf("queued job is for version %d (%v), want %d", version, err, v2.Version)
	}
}
