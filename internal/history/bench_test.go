package history_test

// The history benchmark: `make bench` (or scripts/test.sh -run '^$' -bench
// History ./internal/history). It loads BENCH_ORDERS orders (default one
// million) and BENCH_AUDIT audit entries (default five million, with a
// valid hash chain) into a database of its own, then reports p50/p99 of the
// pages' queries and the exports' rows per second and peak memory. Results
// and the machine they ran on go to bench/RESULTS.md. Benchmarks run only
// with -bench, so `make test` never pays for the load.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/history"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func BenchmarkHistory(b *testing.B) {
	nOrders, nAudit := envInt("BENCH_ORDERS", 1_000_000), envInt("BENCH_AUDIT", 5_000_000)
	ctx := context.Background()
	pool := dbtest.New(b)
	start := time.Now()
	loadOrders(b, pool, nOrders)
	b.Logf("loaded %d orders in %s", nOrders, time.Since(start).Round(time.Second))
	start = time.Now()
	loadAudit(b, pool, nAudit, nOrders)
	b.Logf("loaded %d audit entries in %s", nAudit, time.Since(start).Round(time.Second))
	for _, table := range []string{"orders", "audit_events", "approvals"} {
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE "+table); err != nil {
			b.Fatal(err)
		}
	}
	svc := history.NewService(pool)
	var approver string
	if err := pool.QueryRow(ctx, "SELECT username FROM users WHERE username = 'bench-approver'").Scan(&approver); err != nil {
		b.Fatal(err)
	}
	mid := int64(nOrders / 2)

	var requesterID int64
	if err := pool.QueryRow(ctx, "SELECT id FROM users WHERE username = 'bench-requester'").Scan(&requesterID); err != nil {
		b.Fatal(err)
	}
	// The pages as most people see them: everything (an admin), and a
	// requester's own orders (where a requester starts), counts included.
	latency(b, "list/default", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Sort: db.SortNewest}})
		return err
	})
	latency(b, "list/requester-default", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{Requester: "bench-requester", OrderFilter: db.OrderFilter{Sort: db.SortNewest}})
		return err
	})
	checkNoSeqScan(b, pool, approver, nOrders)
	latency(b, "list/filtered-first-page", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Status: "succeeded", Product: "waf", Sort: db.SortNewest}})
		return err
	})
	latency(b, "list/filtered-deep-page", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Status: "succeeded", Sort: db.SortNewest, After: db.OrderCursor{ID: mid}}})
		return err
	})
	latency(b, "list/by-approver-and-month", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{Approver: approver, OrderFilter: db.OrderFilter{Sort: db.SortUpdated,
			Since: time.Now().AddDate(0, -2, 0), Until: time.Now().AddDate(0, -1, 0)}})
		return err
	})
	var i atomic.Int64
	latency(b, "search/request-id", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Search: fmt.Sprintf("req-%d", 1+i.Add(7919)%int64(nOrders))}})
		return err
	})
	latency(b, "search/instance-id", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Search: fmt.Sprintf("ins-%d", 1+i.Add(7919)%int64(nOrders))}})
		return err
	})
	latency(b, "search/title-fragment", func() error {
		_, err := svc.Orders(ctx, history.OrderQuery{OrderFilter: db.OrderFilter{Search: fmt.Sprintf("team %d", i.Add(1)%500)}})
		return err
	})
	latency(b, "detail/order-and-timeline", func() error {
		id := 1 + i.Add(7919)%int64(nOrders)
		if _, err := db.GetOrder(ctx, pool, id); err != nil {
			return err
		}
		_, err := svc.OrderTimeline(ctx, id)
		return err
	})
	latency(b, "audit/first-page", func() error {
		_, err := svc.AuditLog(ctx, db.AuditFilter{})
		return err
	})
	throughput(b, "export/orders-csv", func() (int64, error) {
		return svc.ExportOrders(ctx, io.Discard, history.CSV, history.Meta{Export: "orders"}, history.OrderQuery{OrderFilter: db.OrderFilter{Sort: db.SortNewest}}, nil)
	})
	throughput(b, "export/audit-jsonl", func() (int64, error) {
		return svc.ExportAudit(ctx, io.Discard, history.JSONL, history.Meta{Export: "audit"}, db.AuditFilter{}, nil)
	})
	throughput(b, "audit/verify-chain", func() (int64, error) {
		rep, err := svc.VerifyChain(ctx)
		if err == nil && rep.Broken != nil {
			err = fmt.Errorf("the loaded chain is broken: %+v", rep.Broken)
		}
		return rep.Checked, err
	})
}

// samples is how many times each query runs for its percentiles.
var samples = envInt("BENCH_SAMPLES", 200)

// The measurements run once whatever b.N: the load takes minutes, so the
// framework never asks for a second round, and a fixed sample count makes
// runs comparable. Each reports a metric on b and a line in the log.

// latency runs fn samples times and reports p50 and p99 in milliseconds.
func latency(b *testing.B, name string, fn func() error) {
	times := make([]time.Duration, 0, samples)
	for range samples {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(float64(len(times))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), name+"-p50-ms")
	b.ReportMetric(pct(0.99), name+"-p99-ms")
	b.Logf("%-28s p50 %8.2f ms  p99 %8.2f ms  (%d runs)", name, pct(0.50), pct(0.99), samples)
}

// throughput runs fn once (a whole export) and reports rows per second and
// the peak Go heap while it ran, sampled every 20ms.
func throughput(b *testing.B, name string, fn func() (int64, error)) {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	t0 := time.Now()
	n, err := fn()
	el := time.Since(t0)
	close(done)
	wg.Wait()
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	b.ReportMetric(float64(n)/el.Seconds(), name+"-rows/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), name+"-peak-heap-MiB")
	b.Logf("%-28s %d rows in %s: %.0f rows/s, peak Go heap in use %.1f MiB, process VmHWM so far %.1f MiB",
		name, n, el.Round(time.Millisecond), float64(n)/el.Seconds(), float64(peak.Load())/(1<<20), float64(vmHWM())/1024)
}

// vmHWM is the process's peak resident set in KiB (0 where unknown).
func vmHWM() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// loadOrders writes n orders in SQL: a spread of products, statuses and
// three years of creation times, Tencent Cloud ids on the sent ones, and an
// approval on every one past draft. Triggers that keep order versions are
// off for the load (the benchmark reads orders, not versions) and the
// approvals' checks with them.
func loadOrders(b testing.TB, pool *pgxpool.Pool, n int) {
	ctx := context.Background()
	for _, stmt := range []string{
		`INSERT INTO users (username, display_name, password_hash, roles) VALUES
			('bench-requester', 'Bench Requester', '$argon2id$x', '{requester}'),
			('bench-approver', 'Bench Approver', '$argon2id$x', '{approver}')`,
		`INSERT INTO tencentcloud_accounts (name, key_source) VALUES ('bench account', 'environment')`,
		`ALTER TABLE orders DISABLE TRIGGER USER`,
		`ALTER TABLE approvals DISABLE TRIGGER USER`,
		// Triggers are off, so the purchase fingerprint (of '{}': its hash) is written here.
		fmt.Sprintf(`INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256, purchase_fingerprint, status,
			requester_id, client_token, created_at, updated_at, status_changed_at, request_id, deal_names, instance_ids,
			big_deal_id, billing_order_id, outcome)
		SELECT p, (SELECT id FROM tencentcloud_accounts LIMIT 1), CASE WHEN p = 'waf' THEN 'ap-guangzhou' ELSE '' END,
			'Order ' || g || ' for team ' || (g %% 500), 'benchmark', '{}'::json, encode(sha256('{}'), 'hex'), encode(sha256('{}'), 'hex'), st,
			(SELECT id FROM users WHERE username = 'bench-requester'),
			CASE WHEN p = 'billing' THEN 'tok-' || g END, t, t + interval '1 hour', t + interval '1 hour',
			CASE WHEN sent THEN 'req-' || g ELSE '' END,
			CASE WHEN sent AND p = 'waf' THEN ARRAY['deal-' || g] ELSE '{}' END,
			CASE WHEN sent THEN ARRAY['ins-' || g] ELSE '{}' END,
			CASE WHEN sent AND p = 'waf' THEN 'big-' || g ELSE '' END,
			CASE WHEN sent AND p = 'billing' THEN 'bo-' || g ELSE '' END,
			CASE WHEN sent THEN 'succeeded' ELSE '' END
		FROM (SELECT g, (ARRAY['waf','billing','tcb'])[1 + g %% 3] AS p,
		             (ARRAY['draft','pending_approval','approved','rejected','cancelled','succeeded','succeeded','succeeded','failed','unknown'])[1 + (g / 3) %% 10] AS st,
		             now() - make_interval(secs => (%d - g) * (94608000.0 / %d)) AS t
		      FROM generate_series(1, %d) g) s, LATERAL (SELECT st IN ('succeeded', 'failed', 'unknown') AS sent) x`, n, n, n),
		`INSERT INTO order_versions (order_id, version, account_id, region, title, justification, params, params_sha256)
		SELECT id, version, account_id, region, title, justification, params, params_sha256 FROM orders WHERE status <> 'draft'`,
		`INSERT INTO approvals (order_id, version, params_sha256, approver_id, decision, decided_at, comment)
		SELECT id, version, params_sha256, (SELECT id FROM users WHERE username = 'bench-approver'),
			CASE WHEN status = 'rejected' THEN 'reject' ELSE 'approve' END, status_changed_at,
			CASE WHEN status = 'rejected' THEN 'no' ELSE '' END
		FROM orders WHERE status NOT IN ('draft', 'pending_approval', 'cancelled')`,
		`ALTER TABLE approvals ENABLE TRIGGER USER`,
		`ALTER TABLE orders ENABLE TRIGGER USER`,
		// The counts' triggers were off too: count the load once, as migration 015 does.
		`INSERT INTO order_counts (product, account_id, requester_id, status, n)
		SELECT product, account_id, requester_id, status, count(*) FROM orders GROUP BY 1, 2, 3, 4
		ON CONFLICT (product, account_id, requester_id, status) DO UPDATE SET n = excluded.n`,
		`TRUNCATE order_count_deltas`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			b.Fatalf("%s: %v", stmt[:min(60, len(stmt))], err)
		}
	}
}

// loadAudit COPYs n audit entries about the orders, continuing the chain
// from its current head with hashes computed here (what the chain trigger
// would compute, one row at a time, much more slowly). The chain check at
// the end proves the load is a valid chain.
func loadAudit(b testing.TB, pool *pgxpool.Pool, n, nOrders int) {
	ctx := context.Background()
	var seq, id int64
	prev := strings.Repeat("0", 64)
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(chain_seq), 0), coalesce(max(id), 0) FROM audit_events`).Scan(&seq, &id); err != nil {
		b.Fatal(err)
	}
	if seq > 0 {
		if err := pool.QueryRow(ctx, `SELECT hash FROM audit_events WHERE chain_seq = $1`, seq).Scan(&prev); err != nil {
			b.Fatal(err)
		}
	}
	for _, stmt := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain`,
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_chain_at_commit`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			b.Fatal(err)
		}
	}
	base := time.Now().UTC().AddDate(-3, 0, 0).Truncate(time.Microsecond)
	actions := []string{"order.create", "order.submit", "order.approve", "order.send", "order.outcome"}
	step := (3 * 365 * 24 * time.Hour) / time.Duration(n)
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		seq++
		id++
		at := base.Add(time.Duration(i) * step).Truncate(time.Microsecond)
		subject := "order:" + strconv.Itoa(1+(i*7919)%nOrders)
		action := actions[i%len(actions)]
		actor := "system"
		h := chainHash(prev, seq, id, at, actor, action, subject, "", "", "{}")
		row := []any{id, at, actor, action, subject, "", "", "{}", seq, prev, h}
		prev = h
		return row, nil
	})
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"audit_events"}, []string{"id", "occurred_at", "actor", "action", "subject",
		"remote_addr", "request_id", "details", "chain_seq", "prev_hash", "hash"}, src); err != nil {
		b.Fatal(err)
	}
	for _, stmt := range []string{
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain`,
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_chain_at_commit`,
		`SELECT setval(pg_get_serial_sequence('audit_events', 'id'), (SELECT max(id) FROM audit_events))`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			b.Fatal(err)
		}
	}
}

// chainHash is the chain's hash (migration 008, audit_event_hash).
func chainHash(prev string, seq, id int64, at time.Time, fields ...string) string {
	h := sha256.New()
	all := append([]string{prev, strconv.FormatInt(seq, 10), strconv.FormatInt(id, 10), at.Format("2006-01-02T15:04:05.000000Z")}, fields...)
	for _, f := range all {
		h.Write([]byte(strconv.Itoa(len(f)) + ":" + f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestBenchLoadMakesAValidChain keeps the loader honest at a small size.
func TestBenchLoadMakesAValidChain(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	loadOrders(t, pool, 300)
	loadAudit(t, pool, 1000, 300)
	rep, err := db.VerifyAuditChain(context.Background(), pool, 100)
	if err != nil || rep.Broken != nil || rep.Checked < 1000 {
		t.Fatalf("chain after the load: %+v %v", rep.Broken, err)
	}
}

// checkNoSeqScan runs every shape of list, filter and search once on a
// connection of its own and fails if any of them read the orders table
// sequentially: at a million orders each must answer from indexes. It
// reads Postgres's own counter (pg_stat_user_tables.seq_scan), flushed
// from that one connection before it is read.
func checkNoSeqScan(b *testing.B, pool *pgxpool.Pool, approver string, nOrders int) {
	ctx := context.Background()
	cfg := pool.Config().Copy()
	cfg.MaxConns, cfg.MinConns = 1, 0
	one, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer one.Close()
	svc := history.NewService(one)
	seqScans := func() int64 {
		var n int64
		for _, stmt := range []string{"SELECT pg_stat_force_next_flush()", "SELECT pg_sleep(0.05)", "SELECT pg_stat_clear_snapshot()"} {
			if _, err := one.Exec(ctx, stmt); err != nil {
				b.Fatal(err)
			}
		}
		if err := one.QueryRow(ctx, "SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'orders'").Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	month := time.Now().AddDate(0, -1, 0)
	for _, q := range []struct {
		name string
		q    history.OrderQuery
	}{
		{"default", history.OrderQuery{}},
		{"requester", history.OrderQuery{Requester: "bench-requester"}},
		{"status", history.OrderQuery{OrderFilter: db.OrderFilter{Status: "unknown"}}},
		{"product and status", history.OrderQuery{OrderFilter: db.OrderFilter{Product: "tcb", Status: "failed"}}},
		{"account", history.OrderQuery{OrderFilter: db.OrderFilter{AccountID: 1}}},
		{"approver", history.OrderQuery{Approver: approver}},
		{"a month", history.OrderQuery{OrderFilter: db.OrderFilter{Since: month.AddDate(0, -1, 0), Until: month}}},
		{"oldest first", history.OrderQuery{OrderFilter: db.OrderFilter{Sort: db.SortOldest}}},
		{"recently changed", history.OrderQuery{OrderFilter: db.OrderFilter{Sort: db.SortUpdated}}},
		{"search request id", history.OrderQuery{OrderFilter: db.OrderFilter{Search: fmt.Sprintf("req-%d", nOrders/2)}}},
		{"search instance id", history.OrderQuery{OrderFilter: db.OrderFilter{Search: fmt.Sprintf("ins-%d", nOrders/3)}}},
		{"search title", history.OrderQuery{OrderFilter: db.OrderFilter{Search: "team 77"}}},
	} {
		before := seqScans()
		if _, err := svc.Orders(ctx, q.q); err != nil {
			b.Fatalf("%s: %v", q.name, err)
		}
		if n := seqScans() - before; n != 0 {
			// On a small table a sequential scan is the right plan.
			report := b.Errorf
			if nOrders < 100_000 {
				report = b.Logf
			}
			report("list %s: %d sequential scans of orders, want none", q.name, n)
		} else {
			b.Logf("list %-20s answered from indexes (no sequential scan of orders)", q.name)
		}
	}
}
