package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// The chaos campaign's console settings. The send timeout is short so that
// faults which hold an answer past it are quick to produce; the rescue delay
// is the shortest the console accepts (send timeout + 15s).
const (
	chaosSendTimeout = 2 * time.Second
	chaosRescueAfter = chaosSendTimeout + 15*time.Second
	chaosLatency     = chaosSendTimeout + 1500*time.Millisecond
	// chaosResendDelay is CONSOLE_AUTO_RESEND_DELAY: how long an unknown
	// CreateInstance order waits before it is resent with its ClientToken.
	chaosResendDelay = 2 * time.Second
	chaosKillMin     = 2 * time.Second
	chaosKillMax     = 5 * time.Second
)

// chaosFaults is the campaign's mix of sandbox faults, each applied at
// random to about share of all calls (about a quarter of the calls get one).
// The "after processing" kinds buy and then answer a failure; the others
// answer a failure instead of buying; the drop and the latency buy and
// answer nothing in time.
var chaosFaults = []struct {
	name  string
	share float64
	fault tcsim.Fault
}{
	{"drop after processing", 0.05, tcsim.Fault{Drop: true}},
	{"latency past the send timeout", 0.05, tcsim.Fault{Latency: chaosLatency}},
	{"HTTP 502", 0.04, tcsim.Fault{HTTPStatus: 502}},
	{"HTTP 502 after processing", 0.04, tcsim.Fault{HTTPStatus: 502, AfterProcessing: true}},
	{"InternalError", 0.04, tcsim.Fault{ErrorCode: "InternalError"}},
	{"InternalError after processing", 0.04, tcsim.Fault{ErrorCode: "InternalError", AfterProcessing: true}},
}

// chaosSlow answers every other call after chaosSlowLatency, well within
// the send timeout: purchases take a while, as the service's do, so a kill
// usually finds calls in flight.
var chaosSlow = struct {
	name  string
	fault tcsim.Fault
}{"slow answer within the timeout", tcsim.Fault{Latency: 800 * time.Millisecond}}

// chaosConfig sizes the campaign. The defaults are what make test runs
// (well under four minutes on two cores when the consoles behave); make
// chaos sets CHAOS_ORDERS, CHAOS_DURATION and CHAOS_SETTLE higher.
type chaosConfig struct {
	orders int
	// duration is how long replicas are killed and the sandbox misbehaves;
	// the orders are approved over its first four fifths, and Postgres is
	// restarted once, in its middle.
	duration time.Duration
	// settle bounds the wait, after the campaign, for every order to
	// settle: a guard against a hung test, and the "stuck" verdict.
	settle time.Duration
	// seed seeds the sandbox's fault draws and the test's kill schedule.
	seed uint64
}

func chaosConfigFromEnv(t *testing.T) chaosConfig {
	t.Helper()
	c := chaosConfig{orders: 300, duration: 40 * time.Second, settle: 150 * time.Second, seed: rand.Uint64()%1_000_000 + 1}
	if v := os.Getenv("CHAOS_ORDERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 30 {
			t.Fatalf("CHAOS_ORDERS must be a whole number of at least 30, not %q", v)
		}
		c.orders = n
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{{"CHAOS_DURATION", &c.duration}, {"CHAOS_SETTLE", &c.settle}} {
		if v := os.Getenv(d.name); v != "" {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed < 10*time.Second {
				t.Fatalf("%s must be a duration of at least 10s, not %q", d.name, v)
			}
			*d.dst = parsed
		}
	}
	if v := os.Getenv("CHAOS_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			t.Fatalf("CHAOS_SEED must be a positive whole number, not %q", v)
		}
		c.seed = n
	}
	return c
}

// TestChaos is the fault campaign (issue 11). Two `console serve` replicas
// send a few hundred approved orders of all three products, auto-sent on
// approval, while the sandbox misbehaves at random (chaosFaults), a replica
// is SIGKILLed and restarted every few seconds, and Postgres is restarted
// once with `pg_ctl restart -m immediate`. Then the storm passes: faults are
// cleared, nothing is killed, and the test waits (bounded) until no order is
// approved or sending and no send job is left. It stops the consoles and
// holds what the database says against what the sandbox did:
//
//   - nothing was bought twice;
//   - every attempt that recorded what it sent sent the approved bytes;
//   - no order is left approved or sending;
//   - no order is failed that the sandbox bought, and every succeeded order
//     was bought, with the answer of one of its successful calls on record;
//   - every unknown order had at least one call reach the sandbox (an order
//     whose call never left was never in doubt);
//   - every CreateInstance order ends succeeded or failed: its ClientToken
//     makes a resend safe, so no person should have to settle it.
//
// The test starts a Postgres cluster of its own (see startPrivateCluster)
// and runs alone in its package (no t.Parallel): a campaign on two shared
// cores is slow enough without the package's other process tests.
func TestChaos(t *testing.T) {
	cfg := chaosConfigFromEnv(t)
	const secretID, secretKey = "AKIDe2eCHAOS000000000000000000000000001", "e2echaossecretkey000000000000001"
	cluster := startPrivateCluster(t)
	w := newWorldOn(t, cluster.url, tcsim.Options{Keys: map[string]string{secretID: secretKey}, Seed: cfg.seed,
		// Enough for every order of the largest campaign: a balance that
		// runs out would turn purchases into refusals and test less.
		InitialBalance: 1 << 50}, secretID, secretKey)
	t.Logf("chaos: %d orders, %s of faults and kills, settle bound %s, seed %d (CHAOS_SEED replays the draws)",
		cfg.orders, cfg.duration, cfg.settle, cfg.seed)
	rng := rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x5eed))

	faultKind := installChaosFaults(t, w.sim.Sim)
	env := w.env(
		"CONSOLE_SEND_TIMEOUT="+chaosSendTimeout.String(),
		"CONSOLE_JOB_RESCUE_AFTER="+chaosRescueAfter.String(),
		"CONSOLE_AUTO_RESEND_DELAY="+chaosResendDelay.String(),
		"CONSOLE_SEND_WORKERS=10",
		// Up to a dozen console logs are printed when the test fails.
		"CONSOLE_LOG_LEVEL=warn",
	)
	reps := startReplicas(t, bt.ProcessConfig{DatabaseURL: w.dbURL, Env: env})

	// The campaign. The approvals run in the background, paced over the
	// first four fifths of it, so sends are in flight at most kills; they
	// pause while Postgres restarts (gate), so none is lost half-committed.
	start := time.Now()
	var gate sync.RWMutex
	appr := w.approvePaced(t, cfg.orders, cfg.duration*4/5, &gate)
	restartAt := start.Add(cfg.duration / 2)
	nextKill := start.Add(chaosKillMin + time.Duration(rng.Int64N(int64(chaosKillMax-chaosKillMin))))
	var pg pgRestart
	for {
		reps.reviveDead(t)
		now := time.Now()
		if pg.at.IsZero() && now.After(restartAt) {
			pg = restartPostgres(t, w, cluster, &gate, now.Sub(start))
		}
		if now.After(nextKill) {
			reps.kill(t, w, rng.IntN(2))
			nextKill = time.Now().Add(chaosKillMin + time.Duration(rng.Int64N(int64(chaosKillMax-chaosKillMin))))
		}
		if appr.failed() || (now.Sub(start) >= cfg.duration && appr.finished() && !pg.at.IsZero()) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	approved, err := appr.wait()
	if err != nil {
		t.Fatal(err)
	}
	campaign := time.Since(start)
	w.sim.ClearFaults()

	settled, quiet := w.waitQuiet(t, cfg.settle, reps)
	if !quiet {
		t.Errorf("after %s of calm, orders are still open: %s; %s", cfg.settle, w.statusCounts(t), w.sendJobCounts(t))
	}
	reps.stop(t)

	final := w.reload(t, approved)
	calls := w.sim.Calls()
	rec, unmatched, other := matchCalls(t, calls, final)
	f := &findings{}
	for _, c := range unmatched {
		f.add("calls carrying parameters no order was approved with", "sandbox call %d (%s, %s): %s", c.Seq, c.Action, c.Outcome, c.Params)
	}
	statuses := map[string]int{}
	byProduct := map[string]int{}
	boughtOrders, sendAttempts := 0, 0
	for _, o := range final {
		r := rec[o.ID]
		key := fmt.Sprintf("%s %s", o.Product, o.Status)
		statuses[string(o.Status)]++
		byProduct[key]++
		if r.bought > 0 {
			boughtOrders++
		}
		name := fmt.Sprintf("order %d (%s)", o.ID, o.Product)
		if r.bought > 1 {
			f.add("double purchases", "%s ended %s and was bought %d times: %s", name, o.Status, r.bought, describeCalls(r.calls))
		}
		switch o.Status {
		case orders.StatusSucceeded:
			if r.bought == 0 {
				f.add("succeeded orders the sandbox never bought", "%s succeeded, but no call bought it: %s", name, describeCalls(r.calls))
			} else if !answeredBy(o, r.calls) {
				f.add("succeeded orders whose stored answer is no successful call of theirs", "%s succeeded with RequestId %q: %s", name, o.Sent.RequestID, describeCalls(r.calls))
			}
		case orders.StatusFailed:
			if r.bought > 0 {
				f.add("failed orders the sandbox bought", "%s ended failed (%s: %s); the sandbox bought it %s: %s",
					name, o.Sent.ErrorCode, o.Sent.ErrorMessage, times(r.bought), describeCalls(r.calls))
			}
		case orders.StatusUnknown:
			if len(r.calls) == 0 {
				f.add("unknown orders whose call never left", "%s ended unknown, but the sandbox never received a call for it", name)
			}
			if o.Product == orders.ProductBilling {
				f.add("CreateInstance orders left for a person", "%s ended unknown; the sandbox bought it %s: %s", name, times(r.bought), describeCalls(r.calls))
			}
		default:
			f.add("orders stuck", "%s ended %s after %d sandbox calls", name, o.Status, len(r.calls))
		}

		attempts, err := db.ListSendAttempts(context.Background(), w.pool, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		sendAttempts += len(attempts)
		for _, a := range attempts {
			if a.SentSHA256 != "" && a.SentSHA256 != a.ParamsSHA256 {
				f.add("attempts that sent other bytes than approved", "%s attempt %d sent parameters hashing to %s, approved %s", name, a.Attempt, a.SentSHA256, a.ParamsSHA256)
			}
		}
	}

	// The report, then the findings, then whether the campaign tested anything.
	outcomes, applied := map[string]int{}, map[string]int{}
	purchaseCalls, bought := 0, 0
	for _, c := range calls {
		outcomes[c.Outcome]++
		if c.FaultID != 0 {
			applied[faultKind[c.FaultID]]++
		}
		if c.Bought {
			bought++
		}
	}
	for _, r := range rec {
		purchaseCalls += len(r.calls)
	}
	t.Logf("campaign %s, then settled in %s; orders: %d (%s); by product: %s",
		campaign.Round(time.Millisecond), settled.Round(time.Millisecond), len(final), formatCounts(statuses), formatCounts(byProduct))
	t.Logf("sandbox: %d calls (%d purchase calls, %d bought; other actions: %s); outcomes: %s",
		len(calls), purchaseCalls, bought, orNone(formatCounts(other)), formatCounts(outcomes))
	t.Logf("faults applied: %s; send attempts: %d", formatCounts(applied), sendAttempts)
	t.Logf("kills: %d (%s), orders the killed replica was sending at each kill: %v; consoles that died on their own: %s",
		reps.kills, formatCounts(reps.killsBySlot), reps.sendingAtKill, orNone(strings.Join(reps.died, "; ")))
	t.Logf("postgres: restarted %s into the campaign, down for %s (approvals paused %s)",
		pg.offset.Round(time.Millisecond), pg.down.Round(time.Millisecond), pg.paused.Round(time.Millisecond))
	f.report(t)

	for _, k := range chaosFaults {
		if applied[k.name] == 0 {
			t.Errorf("no call got the fault %q: the campaign did not test it", k.name)
		}
	}
	if reps.kills < 2 || reps.caught == 0 {
		t.Errorf("%d kills caught %d orders being sent: the campaign did not test crashes mid-call", reps.kills, reps.caught)
	}
	if pg.at.IsZero() || !pg.restarted {
		t.Error("Postgres was not restarted: the campaign did not test an outage")
	}
	if boughtOrders < len(final)/2 {
		t.Errorf("only %d of %d orders were bought: the campaign mostly tested nothing", boughtOrders, len(final))
	}
}

// installChaosFaults adds chaosFaults to the sandbox, then chaosSlow for
// every call they pass over, and returns each fault's kind by id. A fault's
// Probability is its share of the calls the faults before it passed over,
// so each gets its share of all calls.
func installChaosFaults(t *testing.T, sim *tcsim.Sim) map[int]string {
	t.Helper()
	kinds := map[int]string{}
	left := 1.0
	for _, k := range chaosFaults {
		f := k.fault
		f.Probability = k.share / left
		left -= k.share
		id, err := sim.AddFault(f)
		if err != nil {
			t.Fatalf("fault %q: %v", k.name, err)
		}
		kinds[id] = k.name
	}
	id, err := sim.AddFault(chaosSlow.fault)
	if err != nil {
		t.Fatal(err)
	}
	kinds[id] = chaosSlow.name
	return kinds
}

// pgCluster is a Postgres cluster of the test's own.
type pgCluster struct {
	script, dir, url string
}

// startPrivateCluster starts a Postgres cluster for this test alone with
// scripts/devdb.sh, migrates its database and stops and removes it when the
// test ends. Restarting Postgres breaks every connection to it: on the
// shared test cluster that would fail whatever other packages' tests (go
// test runs packages in parallel) happen to be doing, so the campaign
// crashes a cluster nobody else uses. It costs a few seconds of initdb.
// Its commits are durable across a Postgres crash, as in production.
// TEST_DEVDB (the script) and TEST_DEVDB_DIR (a folder the cluster's owner
// can write) come from make test; without them the test fails, as dbtest
// does without TEST_DATABASE_URL.
func startPrivateCluster(t *testing.T) *pgCluster {
	t.Helper()
	script, parent := os.Getenv("TEST_DEVDB"), os.Getenv("TEST_DEVDB_DIR")
	if script == "" || parent == "" {
		t.Fatal("TestChaos restarts Postgres, so it starts a cluster of its own with scripts/devdb.sh; TEST_DEVDB and TEST_DEVDB_DIR are not set: run it with make test or scripts/test.sh")
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(parent, "chaos-")
	if err != nil {
		t.Fatal(err)
	}
	c := &pgCluster{script: script, dir: dir}
	t.Cleanup(func() {
		if out, err := exec.Command(script, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("stopping the chaos cluster in %s: %v\n%s", dir, err, out)
			return
		}
		_ = os.RemoveAll(dir) // throwaway data; a leftover only costs disk
	})
	// Not "fast": its asynchronous commits are lost by an immediate
	// restart, and the consoles would be blamed for forgetting them.
	cmd := exec.Command(script, "start", dir, "crashsafe")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("starting a private Postgres in %s: %v\n%s", dir, err, stderr.String())
	}
	c.url = strings.TrimSpace(string(out))
	ctx := context.Background()
	pool, err := db.Open(ctx, c.url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("migrating the chaos cluster: %v", err)
	}
	return c
}

// restart crashes and restarts the cluster: pg_ctl restart -m immediate.
func (c *pgCluster) restart() error {
	out, err := exec.Command(c.script, "restart", c.dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("devdb.sh restart: %w\n%s", err, out)
	}
	return nil
}

// pgRestart is what became of the campaign's Postgres restart.
type pgRestart struct {
	at        time.Time
	offset    time.Duration // into the campaign
	down      time.Duration // until the test's own pool could query again
	paused    time.Duration // approvals held back
	restarted bool          // the postmaster's start time changed
}

// restartPostgres restarts the cluster under the consoles while approvals
// are paused, and checks that the server really restarted.
func restartPostgres(t *testing.T, w *world, c *pgCluster, gate *sync.RWMutex, offset time.Duration) pgRestart {
	t.Helper()
	ctx := context.Background()
	startedAt := func() (time.Time, error) {
		var ts time.Time
		err := w.pool.QueryRow(ctx, `SELECT pg_postmaster_start_time()`).Scan(&ts)
		return ts, err
	}
	pausing := time.Now()
	gate.Lock()
	defer gate.Unlock()
	before, err := startedAt()
	if err != nil {
		t.Fatal(err)
	}
	r := pgRestart{at: time.Now(), offset: offset}
	if err := c.restart(); err != nil {
		t.Fatal(err)
	}
	// The pool's connections died with the server.
	w.pool.Reset()
	var after time.Time
	for {
		if after, err = startedAt(); err == nil {
			break
		}
		if time.Since(r.at) > 30*time.Second {
			t.Fatalf("Postgres did not answer within 30s of its restart: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.down = time.Since(r.at)
	r.paused = time.Since(pausing)
	r.restarted = after.After(before)
	return r
}

// approvals are orders being approved in the background.
type approvals struct {
	n    int
	done chan struct{}
	out  []orders.Order
	bad  atomic.Bool
	err  error // set before done closes
}

// approvePaced composes, submits and approves n orders, products in turn,
// the i-th no sooner than i/n of the way through over, four at a time. Each
// approval holds gate for reading.
func (w *world) approvePaced(t *testing.T, n int, over time.Duration, gate *sync.RWMutex) *approvals {
	a := &approvals{n: n, done: make(chan struct{}), out: make([]orders.Order, n)}
	start := time.Now()
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
	)
	for range 4 {
		wg.Go(func() {
			for !a.bad.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				time.Sleep(time.Until(start.Add(over * time.Duration(i) / time.Duration(n))))
				gate.RLock()
				o, err := w.approveOne(context.Background(), t, products[i%len(products)], i)
				gate.RUnlock()
				if err != nil {
					mu.Lock()
					a.err = err
					mu.Unlock()
					a.bad.Store(true)
					return
				}
				a.out[i] = o
			}
		})
	}
	go func() {
		wg.Wait()
		close(a.done)
	}()
	return a
}

func (a *approvals) failed() bool { return a.bad.Load() }

func (a *approvals) finished() bool {
	select {
	case <-a.done:
		return true
	default:
		return false
	}
}

func (a *approvals) wait() ([]orders.Order, error) {
	<-a.done
	return a.out, a.err
}

// replicas are the two consoles of the campaign: slot 0 is A1, A2, …,
// slot 1 is B1, B2, …, each the restart of the one before.
type replicas struct {
	cfg           bt.ProcessConfig
	slots         [2]*bt.Process
	gens          [2]int
	kills         int
	killsBySlot   map[string]int
	sendingAtKill []int    // orders the killed replica was sending, at each kill
	caught        int      // their sum
	died          []string // consoles that exited without being killed
}

func startReplicas(t *testing.T, cfg bt.ProcessConfig) *replicas {
	t.Helper()
	r := &replicas{cfg: cfg, killsBySlot: map[string]int{}}
	for i := range r.slots {
		r.start(t, i)
	}
	return r
}

func slotName(i int) string { return string(rune('A' + i)) }

func (r *replicas) start(t *testing.T, i int) {
	t.Helper()
	r.gens[i]++
	cfg := r.cfg
	cfg.Name = fmt.Sprintf("%s%d", slotName(i), r.gens[i])
	r.slots[i] = bt.StartProcess(t, cfg)
}

// kill SIGKILLs replica i and starts its replacement at once, as an
// orchestrator would.
func (r *replicas) kill(t *testing.T, w *world, i int) {
	t.Helper()
	// The orders this replica is sending: their attempt is open and names
	// it (the replica column is "host/pid").
	var sending int
	if err := w.pool.QueryRow(context.Background(), `
		SELECT count(DISTINCT o.id) FROM orders o JOIN send_attempts a ON a.order_id = o.id
		 WHERE o.status = 'sending' AND a.finished_at IS NULL AND a.replica LIKE '%/' || $1::text`,
		strconv.Itoa(r.slots[i].PID())).Scan(&sending); err != nil {
		t.Fatal(err)
	}
	r.slots[i].Kill(t)
	r.kills++
	r.killsBySlot[slotName(i)]++
	r.sendingAtKill = append(r.sendingAtKill, sending)
	r.caught += sending
	r.start(t, i)
}

// reviveDead restarts a console that exited on its own, and records it:
// nothing in the campaign should make a console exit.
func (r *replicas) reviveDead(t *testing.T) {
	t.Helper()
	for i, p := range r.slots {
		if !p.Ended() {
			continue
		}
		log := p.Log()
		if n := len(log); n > 600 {
			log = "…" + log[n-600:]
		}
		r.died = append(r.died, fmt.Sprintf("%s: %s", p, strings.TrimSpace(log)))
		t.Errorf("%s exited on its own during the campaign; restarting it", p)
		r.start(t, i)
	}
}

// stop stops both consoles (SIGTERM), so no call is in flight when the
// sandbox's record is read.
func (r *replicas) stop(t *testing.T) {
	t.Helper()
	for _, p := range r.slots {
		if !p.Ended() {
			p.Stop(t)
		}
	}
}

// waitQuiet waits until no order is approved or sending and no send job is
// left to run, restarting a console that died meanwhile. It reports how
// long it waited and whether all went quiet within guard.
func (w *world) waitQuiet(t *testing.T, guard time.Duration, reps *replicas) (time.Duration, bool) {
	t.Helper()
	start := time.Now()
	for {
		reps.reviveDead(t)
		var open, jobs int
		err := w.pool.QueryRow(context.Background(), `
			SELECT (SELECT count(*) FROM orders WHERE status IN ('approved', 'sending')),
			       (SELECT count(*) FROM river_job WHERE queue = 'send'
			         AND state NOT IN ('completed', 'discarded', 'cancelled'))`).Scan(&open, &jobs)
		if err != nil {
			t.Fatal(err)
		}
		if open == 0 && jobs == 0 {
			return time.Since(start), true
		}
		if time.Since(start) > guard {
			return time.Since(start), false
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sendJobCounts says how many send jobs are in each state, for messages.
func (w *world) sendJobCounts(t *testing.T) string {
	t.Helper()
	rows, err := w.pool.Query(context.Background(), `SELECT state::text, count(*) FROM river_job WHERE queue = 'send' GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		m[s] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return "send jobs: " + formatCounts(m)
}

// matchCalls groups the sandbox's purchase calls by order, by the hash of
// the body received (orders differ in a WAF InstanceName, a TCB Alias or a
// CreateInstance ClientToken, so no two share a hash; a CreateInstance
// resent with its token carries the same body). It returns the purchase
// calls no order owns and counts the calls of other actions (a console
// may query the service to settle an order).
func matchCalls(t *testing.T, calls []tcsim.Call, all []orders.Order) (map[int64]*sandboxRecord, []tcsim.Call, map[string]int) {
	t.Helper()
	purchase := map[string]bool{}
	for _, p := range products {
		a, err := p.Action()
		if err != nil {
			t.Fatal(err)
		}
		purchase[a.Name] = true
	}
	hashes := make(map[string]int64, len(all))
	out := make(map[int64]*sandboxRecord, len(all))
	for _, o := range all {
		if _, dup := hashes[o.ParamsSHA256]; dup {
			t.Fatalf("two orders share the parameter hash %s: the test cannot tell their calls apart", o.ParamsSHA256)
		}
		hashes[o.ParamsSHA256] = o.ID
		out[o.ID] = &sandboxRecord{}
	}
	var unmatched []tcsim.Call
	other := map[string]int{}
	for _, c := range calls {
		if !purchase[c.Action] {
			other[c.Action]++
			continue
		}
		canon, err := orders.Canonical(c.Params)
		if err != nil {
			unmatched = append(unmatched, c)
			continue
		}
		id, ok := hashes[orders.Hash(canon)]
		if !ok {
			unmatched = append(unmatched, c)
			continue
		}
		r := out[id]
		r.calls = append(r.calls, c)
		if c.Bought {
			r.bought++
		}
	}
	return out, unmatched, other
}

// answeredBy reports whether the order's stored RequestId is that of a call
// of its that the sandbox answered with success.
func answeredBy(o orders.Order, calls []tcsim.Call) bool {
	for _, c := range calls {
		if c.Outcome == "Success" && c.RequestID == o.Sent.RequestID {
			return true
		}
	}
	return false
}

// describeCalls lists calls for a message: "call 33 Success bought, call 80
// ConnectionDropped (fault 1)".
func describeCalls(calls []tcsim.Call) string {
	if len(calls) == 0 {
		return "no calls"
	}
	parts := make([]string, 0, len(calls))
	for i, c := range calls {
		if i == 6 {
			parts = append(parts, fmt.Sprintf("and %d more", len(calls)-i))
			break
		}
		s := fmt.Sprintf("call %d %s", c.Seq, c.Outcome)
		if c.Bought {
			s += " bought"
		}
		if c.FaultID != 0 {
			s += fmt.Sprintf(" (fault %d)", c.FaultID)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func times(n int) string {
	switch n {
	case 0:
		return "zero times"
	case 1:
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// findings collects the campaign's violations by kind, so the failure reads
// as a summary: how many of each, with the first few spelled out.
type findings struct {
	kinds  []string
	byKind map[string][]string
}

func (f *findings) add(kind, format string, args ...any) {
	if f.byKind == nil {
		f.byKind = map[string][]string{}
	}
	if _, ok := f.byKind[kind]; !ok {
		f.kinds = append(f.kinds, kind)
	}
	f.byKind[kind] = append(f.byKind[kind], fmt.Sprintf(format, args...))
}

func (f *findings) report(t *testing.T) {
	t.Helper()
	const shown = 10
	sort.Strings(f.kinds)
	for _, k := range f.kinds {
		items := f.byKind[k]
		list := items
		if len(list) > shown {
			list = list[:shown]
		}
		more := ""
		if len(items) > shown {
			more = fmt.Sprintf("\n\t… and %d more", len(items)-shown)
		}
		t.Errorf("%s: %d\n\t%s%s", k, len(items), strings.Join(list, "\n\t"), more)
	}
}
