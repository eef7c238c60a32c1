package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// Settings of the crash test's consoles. The send timeout is well above the
// sandbox's latency, so calls are slow but succeed even on a busy machine;
// the rescue delay is the shortest the console accepts (send timeout + 15s).
const (
	crashSendTimeout = 5 * time.Second
	crashRescueAfter = crashSendTimeout + 15*time.Second
	crashLatency     = 1500 * time.Millisecond
	crashOrders      = 30
)

// A console is killed (SIGKILL) while purchase calls are in flight: the
// sandbox has processed them, bought, and not yet answered. Another console
// on the same database takes over. In the end every order is succeeded,
// failed or unknown, no order was bought twice, the WAF and TCB orders the
// crash interrupted are unknown (never called again), and the CreateInstance
// orders it interrupted were resent with their ClientToken and succeeded
// with exactly one purchase.
func TestCrashMidCallBuysNothingTwice(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "AKIDe2eCRASH00000000000000000000000001", "e2ecrashsecretkey000000000000001")
	env := w.env(
		"CONSOLE_SEND_TIMEOUT="+crashSendTimeout.String(),
		"CONSOLE_JOB_RESCUE_AFTER="+crashRescueAfter.String(),
		"CONSOLE_SEND_WORKERS=10",
	)

	// Every call buys at once and answers only after crashLatency.
	if _, err := w.sim.AddFault(tcsim.Fault{Latency: crashLatency}); err != nil {
		t.Fatal(err)
	}
	a := bt.StartProcess(t, bt.ProcessConfig{Name: "A", DatabaseURL: w.dbURL, Env: env})
	approved := w.approve(t, crashOrders)

	// Kill A once, for every product, an order is sending and the sandbox
	// has bought for it: its answer is on the way and A will never read it.
	// (Some orders have usually succeeded by then, and most are waiting.)
	waitInFlight(t, w, approved, 30*time.Second)
	a.Kill(t)
	killed := time.Now()
	atKill := w.reload(t, approved)
	interrupted := map[int64]bool{}
	before := map[int64]orders.Status{}
	counts := map[string]int{}
	for _, o := range atKill {
		before[o.ID] = o.Status
		counts[string(o.Status)]++
		if o.Status == orders.StatusSending {
			interrupted[o.ID] = true
		}
	}
	// Of those, the ones whose call may have left: the attempt committed
	// calling_at just before its first byte was written. A sending order
	// without it was killed before its call (waiting for the rate limit,
	// under load often), and B's rescue simply sends it.
	midCall := map[int64]bool{}
	rows, err := w.pool.Query(context.Background(),
		`SELECT order_id FROM send_attempts WHERE finished_at IS NULL AND calling_at IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		midCall[id] = interrupted[id]
	}
	t.Logf("killed A (pid %d); orders at the kill: %s", a.PID(), formatCounts(counts))
	w.sim.ClearFaults()

	// Restart. River gives a dead replica's running jobs to another one once
	// they are CONSOLE_JOB_RESCUE_AFTER old, and only its leader rescues,
	// every 30s. B is started once A's leadership has lapsed and its jobs
	// are due, so B's first rescue takes them. Starting B sooner would only
	// send the waiting orders sooner, and could make the test wait up to
	// 30s more for the rescue.
	waitRescuable(t, w, 60*time.Second)
	b := a.Restart(t, "B")
	restarted := time.Since(killed)
	settled := w.waitSettled(t, 90*time.Second, b)

	final := w.reload(t, approved)
	rec := byOrder(t, w.sim.Calls(), final)
	attempts := w.attempts(t, final)
	var succeeded, unknown, unknownBought, purchases int
	finalCounts := map[string]int{}
	for _, o := range final {
		r := rec[o.ID]
		purchases += r.bought
		finalCounts[string(o.Status)]++
		switch o.Status {
		case orders.StatusSucceeded:
			succeeded++
			if r.bought != 1 {
				t.Errorf("order %d (%s) succeeded with %d purchases in the sandbox, want 1", o.ID, o.Product, r.bought)
			}
			checkStoredAnswer(t, o, r)
		case orders.StatusFailed:
			if r.bought != 0 {
				t.Errorf("order %d (%s) failed but the sandbox bought %d times for it", o.ID, o.Product, r.bought)
			}
		case orders.StatusUnknown:
			unknown++
			unknownBought += r.bought
		default:
			t.Errorf("order %d (%s) ended %s; want succeeded, failed or unknown", o.ID, o.Product, o.Status)
		}
		if r.bought > 1 {
			t.Errorf("order %d (%s) was bought %d times (%d calls)", o.ID, o.Product, r.bought, len(r.calls))
		}

		switch {
		case interrupted[o.ID] && !midCall[o.ID] && o.Product != orders.ProductBilling:
			// Sending, but killed before its call left: B sent it, once.
			if o.Status != orders.StatusSucceeded || len(r.calls) != 1 {
				t.Errorf("order %d (%s), killed before its call, ended %s after %d calls; want succeeded after 1",
					o.ID, o.Product, o.Status, len(r.calls))
			}
		case interrupted[o.ID] && o.Product == orders.ProductBilling:
			// Resent with its ClientToken: the sandbox returns the first
			// order instead of buying again.
			if o.Status != orders.StatusSucceeded || r.bought != 1 {
				t.Errorf("interrupted CreateInstance order %d ended %s with %d purchases (%d calls); want succeeded with 1",
					o.ID, o.Status, r.bought, len(r.calls))
			}
		case interrupted[o.ID]:
			// Never called again: the order says it may have been bought.
			if o.Status != orders.StatusUnknown || len(r.calls) > 1 {
				t.Errorf("interrupted %s order %d ended %s after %d calls; want unknown after at most the one call A made",
					o.Product, o.ID, o.Status, len(r.calls))
			}
		case before[o.ID] == orders.StatusApproved:
			// Waiting at the kill: B sent it, once.
			if o.Status != orders.StatusSucceeded || len(r.calls) != 1 {
				t.Errorf("order %d (%s), approved at the kill, ended %s after %d calls; want succeeded after 1",
					o.ID, o.Product, o.Status, len(r.calls))
			}
		default:
			// Settled by A before the kill: nobody touched it again.
			if o.Status != before[o.ID] || len(r.calls) != 1 {
				t.Errorf("order %d (%s) was %s at the kill and is %s now after %d calls; want it unchanged after 1",
					o.ID, o.Product, before[o.ID], o.Status, len(r.calls))
			}
		}
	}
	if purchases != succeeded+unknownBought || unknownBought > unknown {
		t.Errorf("the sandbox made %d purchases for %d succeeded and %d unknown orders (%d of those bought)",
			purchases, succeeded, unknown, unknownBought)
	}
	// Which products the crash caught mid-call, and how many of the
	// interrupted CreateInstance orders were resent (those whose first call
	// A made; one killed before its call left is simply sent).
	caught := map[string]int{}
	resent := 0
	for _, o := range final {
		if !midCall[o.ID] {
			continue
		}
		caught[string(o.Product)]++
		if o.Product == orders.ProductBilling && len(rec[o.ID].calls) > 1 {
			resent++
		}
	}
	for _, p := range products {
		if caught[string(p)] == 0 {
			t.Errorf("no %s order was mid-call when A was killed: the test did not test a crash in its call", p)
		}
	}
	t.Logf("B started %s after the kill; all settled %s later; orders: %s; interrupted: %s (%d CreateInstance resent with their token); %d purchases; send attempts by replica: %s",
		restarted.Round(time.Millisecond), settled.Round(time.Millisecond), formatCounts(finalCounts),
		formatCounts(caught), resent, purchases, formatCounts(split(t, attempts, a, b)))
}

// waitInFlight waits until, for each product, some order is sending and the
// sandbox has already bought for it.
func waitInFlight(t *testing.T, w *world, os []orders.Order, guard time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		cur := w.reload(t, os)
		rec := byOrder(t, w.sim.Calls(), cur)
		inFlight := map[orders.Product]bool{}
		succeeded := 0
		for _, o := range cur {
			if o.Status == orders.StatusSending && rec[o.ID].bought > 0 {
				inFlight[o.Product] = true
			}
			if o.Status == orders.StatusSucceeded {
				succeeded++
			}
		}
		if len(inFlight) == len(products) && succeeded > 0 {
			return
		}
		if time.Since(start) > guard {
			t.Fatalf("after %s no moment had a bought call in flight for every product and an order succeeded (%s)", guard, w.statusCounts(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRescuable waits until River will rescue the dead console's jobs: no
// client holds leadership, and no running job started within the rescue
// delay (plus a second for clocks: River compares the database's
// attempted_at with its own clock).
func waitRescuable(t *testing.T, w *world, guard time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		var ready bool
		err := w.pool.QueryRow(context.Background(), `
			SELECT NOT EXISTS (SELECT 1 FROM river_leader WHERE expires_at > now())
			   AND NOT EXISTS (SELECT 1 FROM river_job WHERE state = 'running'
			                   AND attempted_at > now() - make_interval(secs => $1))`,
			(crashRescueAfter + time.Second).Seconds()).Scan(&ready)
		if err != nil {
			t.Fatal(err)
		}
		if ready {
			return
		}
		if time.Since(start) > guard {
			t.Fatalf("River would still not rescue the killed console's jobs after %s", guard)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
