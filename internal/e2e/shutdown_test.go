package e2e

import (
	"testing"
	"time"

	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// SIGTERM while calls are in flight: the console waits for them as long as
// CONSOLE_SHUTDOWN_TIMEOUT allows, then cancels them, and every cancelled
// call is recorded as unknown before the process exits. No order is left
// sending, no attempt is left open, nothing is bought twice.
func TestShutdownRecordsCallsInFlight(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "AKIDe2eSHUTDOWN000000000000000000000001", "e2eshutdownsecretkey00000000001")
	// Every call buys at once and answers long after the console's
	// patience for shutdown has run out.
	if _, err := w.sim.AddFault(tcsim.Fault{Latency: 30 * time.Second}); err != nil {
		t.Fatal(err)
	}
	a := bt.StartProcess(t, bt.ProcessConfig{Name: "A", DatabaseURL: w.dbURL, Env: w.env(
		"CONSOLE_SEND_TIMEOUT=45s", "CONSOLE_JOB_RESCUE_AFTER=2m", "CONSOLE_SHUTDOWN_TIMEOUT=2s",
	)})
	approved := w.approve(t, len(products))

	// Wait until every order's call has reached the sandbox and bought.
	deadline := time.Now().Add(30 * time.Second)
	for {
		cur := w.reload(t, approved)
		rec := byOrder(t, w.sim.Calls(), cur)
		inFlight := 0
		for _, o := range cur {
			if o.Status == orders.StatusSending && rec[o.ID].bought == 1 {
				inFlight++
			}
		}
		if inFlight == len(cur) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the calls never were all in flight (%s)", w.statusCounts(t))
		}
		time.Sleep(20 * time.Millisecond)
	}

	a.Stop(t) // SIGTERM; Stop fails the test unless the exit is clean

	final := w.reload(t, approved)
	rec := byOrder(t, w.sim.Calls(), final)
	attempts := w.attempts(t, final)
	for _, o := range final {
		if o.Status != orders.StatusUnknown {
			t.Errorf("order %d (%s) is %s after shutdown; a cancelled call that may have bought must be unknown", o.ID, o.Product, o.Status)
		}
		if o.Sent.Outcome != "unknown" || o.Sent.ErrorMessage == "" {
			t.Errorf("order %d: outcome %q, message %q", o.ID, o.Sent.Outcome, o.Sent.ErrorMessage)
		}
		if r := rec[o.ID]; r.bought != 1 {
			t.Errorf("order %d bought %d times", o.ID, r.bought)
		}
		as := attempts[o.ID]
		if len(as) != 1 || as[0].Outcome != "unknown" || len(as[0].Sent) == 0 {
			t.Errorf("order %d attempts %+v: want one, finished as unknown, with the bytes sent", o.ID, as)
		}
	}
}
