package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// An order that stays unknown is told again once per period, even when two
// replicas run the pass: the reminder's unique insert, not a check in Go,
// keeps it to one.
func TestUnknownIsRemindedOncePerPeriodAcrossReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	f.policy(t, "https://hooks.example.com/x", orders.WebhookGeneric)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simID: simKey}})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(f.pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	sender := sending.New(f.pool, f.svc, simKeys{}, client, sending.Config{Replica: "test"}, nil)
	o := f.submit(t)
	if _, err := f.svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "go", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddFault(tcsim.Fault{Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Get(ctx, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("status %s, want unknown", got.Status)
	}
	reminders := func() int {
		var n int
		if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'webhook_notice'
			AND args->>'reminder' = 'true' AND (args->'notice'->>'OrderID')::bigint = $1 AND args->'notice'->>'Event' = 'unknown'`, o.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 2 { // two replicas, each with its own queue, in the same hour
		q, err := New(f.pool, Config{Sender: sender, RemindUnknownEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		w := &remindWorker{sender: sender, queue: q, every: time.Hour}
		if err := w.Work(ctx, &river.Job[RemindArgs]{JobRow: &rivertype.JobRow{Attempt: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	if n := reminders(); n != 1 {
		t.Fatalf("%d reminders for order %d, want 1 per period", n, o.ID)
	}
}
