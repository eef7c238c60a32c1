package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
	"dealdesk/web/static"
)

// loadPoint is one (target, connections) measurement.
type loadPoint struct {
	reqPerSec  float64
	p50, p99   time.Duration
	requests   int
	nonOK      int
	firstNonOK string
	// consoleCPU and postgresCPU are the CPU time per request of the
	// console's process and of Postgres's (0: not measured, as for the
	// ceilings, which run inside the test process).
	consoleCPU, postgresCPU time.Duration
}

// TestPagesUnderLoad puts the pages under concurrent load, from a Go load
// generator bounded in time, against `console serve` on a database of
// PAGES_BENCH_ORDERS orders, beside two ceilings measured in the same run:
// a bare echo handler, and a bare handler running the list's 50-row keyset
// query with pgx. What must hold at any speed: every response is a 200.
// The rates are the figures `make bench` reports (PAGES_BENCH=full: a
// million orders, 1, 16 and 64 connections, 3 runs, written to
// $PAGES_BENCH_OUT); in the suite it runs on 2,000 orders at 1 and 16
// connections for a second each. No assertion on time.
func TestPagesUnderLoad(t *testing.T) {
	t.Parallel()
	nOrders, conns, dur, runs := 2000, []int{1, 16}, time.Second, 1
	if os.Getenv("PAGES_BENCH") == "full" {
		nOrders, conns, dur, runs = 1_000_000, []int{1, 16, 64}, 5*time.Second, 3
		if n, err := strconv.Atoi(os.Getenv("PAGES_BENCH_ORDERS")); err == nil && n > 0 {
			nOrders = n
		}
		if d, err := time.ParseDuration(os.Getenv("PAGES_BENCH_DURATION")); err == nil && d > 0 {
			dur = d
		}
		if n, err := strconv.Atoi(os.Getenv("PAGES_BENCH_RUNS")); err == nil && n > 0 {
			runs = n
		}
	}
	ctx := context.Background()
	w := newWorld(t, "AKIDe2ePAGELOAD00000000000000000000001", "e2epageloadsecretkey000000000001")
	loadStart := time.Now()
	loadBenchOrders(t, w.pool, w.account, nOrders)
	loadTook := time.Since(loadStart)

	authSvc, err := auth.NewService(w.pool, auth.Config{SessionKey: bt.MasterKey(), IdleTimeout: 8 * time.Hour, MaxAge: 168 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"loadreq", auth.RoleRequester}, {"loadadmin", auth.RoleAdmin}, {"loadappr", auth.RoleApprover}} {
		if _, _, err := authSvc.CreateUser(ctx, auth.SystemActor("e2e"), auth.NewUser{Username: u.name, Roles: []auth.Role{u.role},
			Password: "load test password of " + u.name}); err != nil {
			t.Fatal(err)
		}
	}
	// A pending order of the requester's, for the approval page.
	pending := w.approveLess(t, "loadreq")

	// The console serves its profiles on a loopback address of its own, so
	// the CPU profile of a page under load can be taken (PAGES_BENCH_PROFILE).
	pprofAddr := freeLoopback(t)
	startAt := time.Now()
	console := bt.StartProcess(t, bt.ProcessConfig{Name: "load", DatabaseURL: w.dbURL, Env: w.env("CONSOLE_PPROF_ADDR=" + pprofAddr)})
	startToReady := time.Since(startAt)
	rssIdle := rssKiB(console.PID())

	req := loginClient(t, console.URL, "loadreq")
	admin := loginClient(t, console.URL, "loadadmin")
	appr := loginClient(t, console.URL, "loadappr")
	mid := nOrders / 2
	staticPath := static.URL("app.css")

	bare := startBareEcho(t)
	keyset := startKeysetCeiling(t, w.pool)

	targets := []struct {
		name string
		c    *http.Client
		url  string
	}{
		{"ceiling: bare echo handler", http.DefaultClient, bare + "/"},
		{"ceiling: bare keyset query (50 rows, pgx)", http.DefaultClient, keyset + "/"},
		{"/orders (admin, default)", admin, console.URL + "/orders"},
		{"/orders (requester, default: own orders)", req, console.URL + "/orders"},
		{"/orders (admin, status and product)", admin, console.URL + "/orders?status=succeeded&product=waf"},
		{"/orders (requester, search)", req, console.URL + "/orders?q=team+77"},
		{"/orders/{id}", admin, console.URL + "/orders/" + strconv.Itoa(mid)},
		{"/orders/{id}/approval", appr, console.URL + "/orders/" + strconv.FormatInt(pending, 10) + "/approval"},
		{"/ (approver)", appr, console.URL + "/"},
		{"static file", http.DefaultClient, console.URL + staticPath},
		{"/healthz", http.DefaultClient, console.URL + "/healthz"},
	}
	postmaster := postmasterOf(w.pool)
	results := map[string]map[int][]loadPoint{}
	var rssLoad int64
	for r := 0; r < runs; r++ {
		for _, tg := range targets {
			if results[tg.name] == nil {
				results[tg.name] = map[int][]loadPoint{}
			}
			for _, c := range conns {
				inConsole := strings.HasPrefix(tg.url, console.URL)
				conCPU, pgCPU := procCPU(console.PID()), postgresCPU(postmaster)
				p := hammer(tg.c, tg.url, c, dur)
				if p.requests > 0 {
					p.postgresCPU = (postgresCPU(postmaster) - pgCPU) / time.Duration(p.requests)
					if inConsole {
						p.consoleCPU = (procCPU(console.PID()) - conCPU) / time.Duration(p.requests)
					}
				}
				results[tg.name][c] = append(results[tg.name][c], p)
				if p.nonOK > 0 {
					t.Errorf("%s at %d connections: %d of %d responses were not 200 (first: %s)", tg.name, c, p.nonOK, p.requests, p.firstNonOK)
				}
				if strings.HasPrefix(tg.url, console.URL) {
					rssLoad = max(rssLoad, rssKiB(console.PID()))
				}
			}
		}
	}
	// PAGES_BENCH_PROFILE=DIR: the console's CPU profile while a page is
	// under load at 16 connections, its top lines logged and written beside
	// the figures. The page is PAGES_BENCH_PROFILE_TARGET or, by default, the
	// slowest of the console's pages in this run (the one whose time is
	// most worth knowing).
	profileTop := ""
	if dir := os.Getenv("PAGES_BENCH_PROFILE"); dir != "" {
		name := os.Getenv("PAGES_BENCH_PROFILE_TARGET")
		if name == "" {
			slowest := -1.0
			for _, tg := range targets {
				if strings.HasPrefix(tg.name, "ceiling") || tg.c == http.DefaultClient {
					continue
				}
				if r := medianPoint(results[tg.name][16]).reqPerSec; slowest < 0 || r < slowest {
					name, slowest = tg.name, r
				}
			}
		}
		for _, tg := range targets {
			if tg.name != name {
				continue
			}
			secs := max(int(dur/time.Second), 3)
			done := make(chan string)
			go func() {
				done <- profile(t, pprofAddr, fmt.Sprintf("profile?seconds=%d", secs), dir, "pages-cpu.pprof")
			}()
			hammer(tg.c, tg.url, 16, time.Duration(secs+1)*time.Second)
			profileTop = fmt.Sprintf("CPU profile of the console, %s (the slowest page unless chosen) at 16 connections for %ds (`go tool pprof -top`):\n\n```\n%s\n```\n", name, secs, pprofTop(t, <-done, 25))
			t.Logf("%s", profileTop)
		}
	}
	var pgConns int
	if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dealdesk'`).Scan(&pgConns); err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	fmt.Fprintf(&out, "%d orders (loaded in %s); %d run(s) of %s per point; median over runs (min–max)\n\n", nOrders, loadTook.Round(time.Second), runs, dur)
	fmt.Fprintf(&out, "| target | conns | req/s | p50 | p99 | vs keyset ceiling | CPU per request: console / Postgres |\n|---|---|---|---|---|---|---|\n")
	ceiling := map[int]float64{}
	for _, c := range conns {
		ceiling[c] = medianPoint(results[targets[1].name][c]).reqPerSec
	}
	for _, tg := range targets {
		for _, c := range conns {
			ps := results[tg.name][c]
			m := medianPoint(ps)
			lo, hi := spread(ps)
			ratio := "—"
			if ceiling[c] > 0 {
				ratio = fmt.Sprintf("%.0f%%", 100*m.reqPerSec/ceiling[c])
			}
			fmt.Fprintf(&out, "| %s | %d | %.0f (%.0f–%.0f) | %s | %s | %s | %s / %s |\n", tg.name, c, m.reqPerSec, lo, hi,
				m.p50.Round(10*time.Microsecond), m.p99.Round(10*time.Microsecond), ratio, cpuText(m.consoleCPU), cpuText(m.postgresCPU))
		}
	}
	fmt.Fprintf(&out, "\nFootprint: start to ready %s; RSS idle %.1f MiB, under load (peak seen) %.1f MiB; Postgres connections of the console after the load %d; binary %s.\n",
		startToReady.Round(time.Millisecond), float64(rssIdle)/1024, float64(rssLoad)/1024, pgConns, binarySize(console.PID()))
	if profileTop != "" {
		fmt.Fprintf(&out, "\n%s", profileTop)
	}
	t.Logf("pages under load:\n%s", out.String())
	if path := os.Getenv("PAGES_BENCH_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(out.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// hammer sends GETs to url from conns goroutines for d, and measures.
func hammer(c *http.Client, u string, conns int, d time.Duration) loadPoint {
	var mu sync.Mutex
	var lat []time.Duration
	p := loadPoint{}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			bad, first := 0, ""
			for time.Now().Before(deadline) {
				t0 := time.Now()
				resp, err := c.Get(u)
				if err != nil {
					bad++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode != http.StatusOK {
					bad++
					if first == "" {
						first = resp.Status
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			p.nonOK += bad
			if p.firstNonOK == "" {
				p.firstNonOK = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	p.requests = len(lat)
	if len(lat) > 0 {
		p.reqPerSec = float64(len(lat)) / el.Seconds()
		p.p50, p.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return p
}

func medianPoint(ps []loadPoint) loadPoint {
	s := slices.Clone(ps)
	slices.SortFunc(s, func(a, b loadPoint) int {
		switch {
		case a.reqPerSec < b.reqPerSec:
			return -1
		case a.reqPerSec > b.reqPerSec:
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

func spread(ps []loadPoint) (lo, hi float64) {
	lo, hi = ps[0].reqPerSec, ps[0].reqPerSec
	for _, p := range ps {
		lo, hi = min(lo, p.reqPerSec), max(hi, p.reqPerSec)
	}
	return lo, hi
}

// loginClient signs in through the login form and returns a client that
// keeps the session (and many connections to the console open).
func loginClient(t *testing.T, base, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 128},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatal("no CSRF token on the login page")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"_csrf": {string(m[1])}, "username": {username},
		"password": {"load test password of " + username}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s: %s", username, resp.Status)
	}
	return c
}

// startBareEcho is the first ceiling: echo answering a constant.
func startBareEcho(t *testing.T) string {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	return serveLoopback(t, e)
}

// startKeysetCeiling is the second: a handler that runs the list's first
// page query (50 rows, newest first, with requester and account names) on
// pgx and writes the rows, with nothing else around it.
func startKeysetCeiling(t *testing.T, pool *pgxpool.Pool) string {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), `SELECT o.id, o.title, o.status, a.name, u.username, o.updated_at
			FROM orders o JOIN users u ON u.id = o.requester_id JOIN tencentcloud_accounts a ON a.id = o.account_id
			ORDER BY o.id DESC LIMIT 50`)
		if err != nil {
			http.Error(w, "query", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var title, status, acct, user string
			var at time.Time
			if err := rows.Scan(&id, &title, &status, &acct, &user, &at); err != nil {
				http.Error(w, "scan", http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", id, title, status, acct, user, at.Format(time.RFC3339))
		}
	})
	return serveLoopback(t, h)
}

func serveLoopback(t *testing.T, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// rssKiB is a process's resident set (0 where unknown).
func rssKiB(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// binarySize is the size of the process's executable.
func binarySize(pid int) string {
	fi, err := os.Stat(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f MiB", float64(fi.Size())/(1<<20))
}

// loadBenchOrders writes n orders of the world's account in SQL, as the
// history benchmark does: three products, ten statuses, three years; the
// triggers are off for the load, so the kept counts are counted once after.
func loadBenchOrders(t *testing.T, pool *pgxpool.Pool, account int64, n int) {
	t.Helper()
	ctx := context.Background()
	for _, stmt := range []string{
		`INSERT INTO users (username, display_name, password_hash, roles) VALUES
			('bench-requester', 'Bench Requester', '$argon2id$x', '{requester}')`,
		`ALTER TABLE orders DISABLE TRIGGER USER`,
		fmt.Sprintf(`INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256, purchase_fingerprint, status,
			requester_id, client_token, created_at, updated_at, status_changed_at, request_id, instance_ids)
		SELECT p, %d, CASE WHEN p = 'waf' THEN 'ap-guangzhou' ELSE '' END,
			'Order ' || g || ' for team ' || (g %% 500), 'benchmark', '{}'::json, encode(sha256('{}'), 'hex'), encode(sha256('{}'), 'hex'), st,
			(SELECT id FROM users WHERE username = 'bench-requester'),
			CASE WHEN p = 'billing' THEN 'tok-' || g END, t, t + interval '1 hour', t + interval '1 hour',
			CASE WHEN st IN ('succeeded', 'failed', 'unknown') THEN 'req-' || g ELSE '' END,
			CASE WHEN st = 'succeeded' THEN ARRAY['ins-' || g] ELSE '{}' END
		FROM (SELECT g, (ARRAY['waf','billing','tcb'])[1 + g %% 3] AS p,
		             (ARRAY['draft','pending_approval','approved','rejected','cancelled','succeeded','succeeded','succeeded','failed','unknown'])[1 + (g / 3) %% 10] AS st,
		             now() - make_interval(secs => (%d - g) * (94608000.0 / %d)) AS t
		      FROM generate_series(1, %d) g) s`, account, n, n, n),
		`ALTER TABLE orders ENABLE TRIGGER USER`,
		`DELETE FROM order_count_deltas`,
		`DELETE FROM order_counts`,
		`INSERT INTO order_counts (product, account_id, requester_id, status, n)
		SELECT product, account_id, requester_id, status, count(*) FROM orders GROUP BY 1, 2, 3, 4`,
		`VACUUM ANALYZE orders`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt[:min(60, len(stmt))], err)
		}
	}
}

// approveLess composes and submits one order for username (a requester),
// leaving it pending: the approval page's subject.
func (w *world) approveLess(t *testing.T, username string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := w.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		t.Fatal(err)
	}
	a := w.requester
	a.UserID = id
	o, err := w.orders.Compose(ctx, a, draft(t, products[0], w.account, 0))
	if err != nil {
		t.Fatal(err)
	}
	if o, err = w.orders.Submit(ctx, a, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	return o.ID
}
