package e2e

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// sendScenario is one shape of sending load: how many accounts, which
// products (one action each), how many orders per (account, action) key,
// and how many consoles share the queue.
type sendScenario struct {
	name     string
	accounts int
	products []orders.Product
	perKey   int
	replicas int
}

// keyFigures is one (account, action) key's share of a run.
type keyFigures struct {
	key            string
	calls          int
	callsPerSecond float64
	throttled      int
}

// sendRun is what one run of a scenario measured.
type sendRun struct {
	keys       []keyFigures
	duplicates int
	elapsed    time.Duration
	// latency: from each order's approval to the sandbox receiving its
	// call; the orders are all approved before the consoles start, so it
	// measures how long the queue takes to reach each one.
	latencyP50, latencyP99 time.Duration
}

// TestSendThroughput sends approved orders on several keys at once and
// checks what must hold whatever the speed: every order bought exactly
// once, nothing throttled. The calls per second of each key are the
// figure `make bench` reports (SEND_BENCH=full: 600 orders per key, every
// scenario, 3 runs each, written to $SEND_BENCH_OUT); in the suite it runs
// the widest scenario (2 accounts × 3 actions, 2 replicas) at 20 orders
// per key. No assertion on time: the rate is logged, not judged.
func TestSendThroughput(t *testing.T) {
	t.Parallel()
	all := []sendScenario{
		{"1 key", 1, []orders.Product{orders.ProductTCB}, 600, 1},
		{"3 actions of one account", 1, products, 600, 1},
		{"2 accounts × 3 actions", 2, products, 600, 1},
		{"1 key, 2 replicas", 1, []orders.Product{orders.ProductTCB}, 600, 2},
		{"3 actions of one account, 2 replicas", 1, products, 600, 2},
		{"2 accounts × 3 actions, 2 replicas", 2, products, 600, 2},
	}
	runs := 1
	scenarios := []sendScenario{all[5]}
	scenarios[0].perKey = 20
	if os.Getenv("SEND_BENCH") == "full" {
		scenarios, runs = all, 3
		if n, err := strconv.Atoi(os.Getenv("SEND_BENCH_PER_KEY")); err == nil && n > 0 {
			for i := range scenarios {
				scenarios[i].perKey = n
			}
		}
		if n, err := strconv.Atoi(os.Getenv("SEND_BENCH_RUNS")); err == nil && n > 0 {
			runs = n
		}
		if only := os.Getenv("SEND_BENCH_ONLY"); only != "" {
			scenarios = slices.DeleteFunc(scenarios, func(sc sendScenario) bool { return !strings.Contains(sc.name, only) })
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "| scenario | orders per key | runs | purchase calls/s per key: median of each run's median (min–max over keys and runs; bill lookups logged apart) | throttled | duplicates | approved→call p50 / p99 (median run) |\n|---|---|---|---|---|---|---|\n")
	for _, sc := range scenarios {
		var got []sendRun
		for r := 0; r < runs; r++ {
			run := runSendScenario(t, sc)
			got = append(got, run)
			var parts []string
			for _, k := range run.keys {
				parts = append(parts, fmt.Sprintf("%s %.2f/s (%d calls, %d throttled)", k.key, k.callsPerSecond, k.calls, k.throttled))
			}
			t.Logf("%s, run %d: %s in %s; duplicates %d; approved→call p50 %s p99 %s", sc.name, r+1,
				strings.Join(parts, ", "), run.elapsed.Round(time.Millisecond), run.duplicates, run.latencyP50, run.latencyP99)
			for _, k := range run.keys {
				if k.throttled != 0 {
					t.Errorf("%s: key %s was throttled %d times", sc.name, k.key, k.throttled)
				}
			}
			if run.duplicates != 0 {
				t.Errorf("%s: %d orders bought more than once", sc.name, run.duplicates)
			}
		}
		fmt.Fprintln(&report, summarise(sc, got))
	}
	t.Logf("sending figures:\n%s", report.String())
	if out := os.Getenv("SEND_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// profileSends takes the console's profiles over five seconds of sending
// while sampling what the database's sessions wait on, and logs the tops.
func profileSends(t *testing.T, w *world, addr, dir string) {
	t.Helper()
	done := make(chan map[string]int)
	stop := make(chan struct{})
	go func() {
		waits := map[string]int{}
		for {
			select {
			case <-stop:
				done <- waits
				return
			case <-time.After(50 * time.Millisecond):
			}
			rows, err := w.pool.Query(context.Background(), `SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, state),
				left(regexp_replace(query, '\s+', ' ', 'g'), 60)
				FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dealdesk' AND state <> 'idle'`)
			if err != nil {
				continue
			}
			for rows.Next() {
				var ev, q string
				if rows.Scan(&ev, &q) == nil {
					waits[ev+" | "+q]++
				}
			}
			rows.Close()
		}
	}()
	cpu := profile(t, addr, "profile?seconds=5", dir, "send-cpu.pprof")
	close(stop)
	waits := <-done
	mutex := profile(t, addr, "mutex", dir, "send-mutex.pprof")
	block := profile(t, addr, "block", dir, "send-block.pprof")
	type kv struct {
		k string
		n int
	}
	var ws []kv
	for k, n := range waits {
		ws = append(ws, kv{k, n})
	}
	slices.SortFunc(ws, func(a, b kv) int { return b.n - a.n })
	var b strings.Builder
	for i, x := range ws {
		if i == 15 {
			break
		}
		fmt.Fprintf(&b, "%5d  %s\n", x.n, x.k)
	}
	t.Logf("database sessions by wait event (samples every 50 ms):\n%s", b.String())
	t.Logf("CPU:\n%s", pprofTop(t, cpu, 25))
	t.Logf("mutex:\n%s", pprofTop(t, mutex, 10))
	t.Logf("block:\n%s", pprofTop(t, block, 15))
}

// summarise is one table row: the median over runs of the median key, and
// the spread over every key of every run.
func summarise(sc sendScenario, runs []sendRun) string {
	var medians, every []float64
	throttled, dups := 0, 0
	var p99 time.Duration
	for _, r := range runs {
		var rates []float64
		for _, k := range r.keys {
			// The bill lookups after each purchase share the key's limit
			// but come as fast as purchases succeed, not as fast as the
			// limit allows: they are logged per run, not summarised here.
			if strings.HasSuffix(k.key, "DescribeDealsByCond") {
				throttled += k.throttled
				continue
			}
			rates = append(rates, k.callsPerSecond)
			every = append(every, k.callsPerSecond)
			throttled += k.throttled
		}
		medians = append(medians, median(rates))
		dups += r.duplicates
	}
	slices.Sort(every)
	mid := runs[len(runs)/2]
	p99 = mid.latencyP99
	return fmt.Sprintf("| %s (%d key(s), %d replica(s)) | %d | %d | %.2f (%.2f–%.2f) | %d | %d | %s / %s |",
		sc.name, sc.accounts*len(sc.products), sc.replicas, sc.perKey, len(runs), median(medians), every[0], every[len(every)-1],
		throttled, dups, mid.latencyP50.Round(time.Millisecond), p99.Round(time.Millisecond))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// runSendScenario approves every order first (each approval queues its
// send), then starts the consoles and waits until all are settled.
func runSendScenario(t *testing.T, sc sendScenario) sendRun {
	t.Helper()
	ctx := context.Background()
	type key struct{ id, secret string }
	keys := make([]key, sc.accounts)
	simKeys := map[string]string{}
	for i := range keys {
		keys[i] = key{fmt.Sprintf("AKIDe2eTHROUGHPUT%019d", i+1), fmt.Sprintf("e2ethroughputsecretkey%010d", i+1)}
		simKeys[keys[i].id] = keys[i].secret
	}
	w := newWorldOn(t, dbtest.NewURL(t), tcsim.Options{Keys: simKeys, InitialBalance: 1 << 50}, keys[0].id, keys[0].secret)
	accts := []int64{w.account}
	if sc.accounts > 1 {
		keyring, err := secrets.NewKeyring("k1", bt.MasterKey(), nil)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := accounts.NewService(w.pool, accounts.Config{Keys: keyring})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys[1:] {
			a, err := svc.Create(ctx, auth.SystemActor("e2e"), accounts.NewAccount{
				Name: "e2e " + k.id[len(k.id)-2:], KeySource: accounts.KeysStored,
				Keys: accounts.Keys{SecretID: k.id, SecretKey: secrets.NewString(k.secret)},
			})
			if err != nil {
				t.Fatal(err)
			}
			accts = append(accts, a.ID)
		}
	}
	// Every key's orders interleaved, so the queue holds them all mixed.
	type job struct {
		p       orders.Product
		account int64
	}
	var plan []job
	for i := 0; i < sc.perKey; i++ {
		for _, a := range accts {
			for _, p := range sc.products {
				plan = append(plan, job{p, a})
			}
		}
	}
	approved := make([]orders.Order, len(plan))
	approvedAt := make(map[int64]time.Time, len(plan))
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(plan) {
					return
				}
				o, err := w.orders.Compose(ctx, w.requester, draft(t, plan[i].p, plan[i].account, i))
				if err == nil {
					o, err = w.orders.Submit(ctx, w.requester, o.ID, o.Version)
				}
				if err == nil {
					o, err = w.orders.Approve(ctx, w.approver, o.ID, o.Version, o.ParamsSHA256, "bench", orders.ApproveOptions{})
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				approved[i], approvedAt[o.ID] = o, o.StatusChangedAt
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Enough workers that each key's 20 calls a second need not wait for
	// one: a worker holds its send from the rate-limit slot to the recorded
	// answer. SEND_BENCH_WORKERS and SEND_BENCH_CONNS try other sizes.
	workers, conns := "40", "30"
	if v := os.Getenv("SEND_BENCH_WORKERS"); v != "" {
		workers = v
	}
	if v := os.Getenv("SEND_BENCH_CONNS"); v != "" {
		conns = v
	}
	env := w.env("CONSOLE_SEND_WORKERS="+workers, "CONSOLE_DB_MAX_CONNS="+conns)
	// SEND_BENCH_PROFILE=DIR: the first console's CPU, mutex and block
	// profiles of the run's first seconds, and the database's wait events
	// sampled meanwhile, written to DIR (what serialises the sends).
	profDir := os.Getenv("SEND_BENCH_PROFILE")
	pprofAddr := ""
	var consoles []*bt.Process
	start := time.Now()
	for i := 0; i < sc.replicas; i++ {
		e := env
		if i == 0 && profDir != "" {
			pprofAddr = freeLoopback(t)
			e = append(slices.Clone(env), "CONSOLE_PPROF_ADDR="+pprofAddr)
		}
		consoles = append(consoles, bt.StartProcess(t, bt.ProcessConfig{Name: string(rune('A' + i)), DatabaseURL: w.dbURL, Env: e}))
	}
	if pprofAddr != "" {
		profileSends(t, w, pprofAddr, profDir)
	}
	w.waitSettled(t, 10*time.Minute, consoles...)
	elapsed := time.Since(start)
	for _, c := range consoles {
		c.Stop(t)
	}

	got := w.reload(t, approved)
	calls := w.sim.Calls()
	rec := byOrder(t, calls, got)
	run := sendRun{elapsed: elapsed}
	var waits []time.Duration
	for _, o := range got {
		if o.Status != orders.StatusSucceeded {
			t.Errorf("order %d (%s) is %s, want succeeded", o.ID, o.Product, o.Status)
		}
		r := rec[o.ID]
		if r.bought > 1 {
			run.duplicates++
		}
		if len(r.calls) > 0 {
			waits = append(waits, r.calls[0].Time.Sub(approvedAt[o.ID]))
		}
	}
	slices.Sort(waits)
	if len(waits) > 0 {
		run.latencyP50, run.latencyP99 = waits[len(waits)/2], waits[len(waits)*99/100]
	}
	// Calls per second of a key: its calls over the time from its first
	// call to its last (the sandbox's clock), so the start-up of the
	// consoles is not counted.
	byKey := map[string][]tcsim.Call{}
	for _, c := range calls {
		k := c.SecretID[len(c.SecretID)-2:] + " " + c.Action
		byKey[k] = append(byKey[k], c)
	}
	names := make([]string, 0, len(byKey))
	for k := range byKey {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		cs := byKey[k]
		f := keyFigures{key: k, calls: len(cs), throttled: throttled(cs)}
		first, last := cs[0].Time, cs[0].Time
		for _, c := range cs {
			if c.Time.Before(first) {
				first = c.Time
			}
			if c.Time.After(last) {
				last = c.Time
			}
		}
		if span := last.Sub(first); span > 0 {
			f.callsPerSecond = float64(len(cs)-1) / span.Seconds()
		}
		run.keys = append(run.keys, f)
	}
	return run
}
