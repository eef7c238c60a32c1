package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/jobs"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/secrets"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
	bt "dealdesk/internal/web/browsertest"
)

func TestMain(m *testing.M) { bt.Main(m) }

// products are sent in turn: order i is products[i%3].
var products = []orders.Product{orders.ProductWAF, orders.ProductBilling, orders.ProductTCB}

// world is one database, one sandbox and the people and account that
// compose and approve orders in it. The consoles under test are started by
// each test on world.dbURL with world.env.
type world struct {
	dbURL   string
	pool    *pgxpool.Pool
	sim     *tcsimtest.Server
	orders  *orders.Service // hooked to an insert-only queue
	account int64

	requester, approver orders.Actor
}

// newWorld makes a fresh database and sandbox and an account whose keys,
// sealed with the consoles' master key, the sandbox accepts. Each test uses
// its own SecretId, so nothing is shared between tests run in parallel.
func newWorld(t *testing.T, secretID, secretKey string) *world {
	t.Helper()
	return newWorldOn(t, dbtest.NewURL(t), tcsim.Options{Keys: map[string]string{secretID: secretKey}}, secretID, secretKey)
}

// newWorldOn is newWorld on a migrated database of the caller's and a
// sandbox with opts, whose Keys must accept secretID and secretKey.
func newWorldOn(t *testing.T, dbURL string, opts tcsim.Options, secretID, secretKey string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{dbURL: dbURL}
	w.pool = dbtest.Open(t, w.dbURL)
	w.sim = tcsimtest.Start(t, opts)

	keys, err := secrets.NewKeyring("k1", bt.MasterKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	accountsSvc, err := accounts.NewService(w.pool, accounts.Config{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := accountsSvc.Create(ctx, auth.SystemActor("e2e"), accounts.NewAccount{
		Name: "e2e", KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: secretID, SecretKey: secrets.NewString(secretKey)},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.account = acct.ID

	// The queue is only for inserting: it is never started, so the jobs
	// approval queues are worked by the consoles under test. Its sender is
	// there to register the send worker (River refuses to insert a kind it
	// has no worker for) and is never called.
	base := orders.NewService(w.pool).WithAccounts(accountsSvc)
	queue, err := jobs.New(w.pool, jobs.Config{Sender: sending.New(w.pool, base, nil, nil, sending.Config{}, nil)})
	if err != nil {
		t.Fatal(err)
	}
	w.orders = base.WithHooks(orders.Hooks{Send: queue})
	w.requester = orderstest.NewUser(t, w.pool, "requester")
	w.approver = orderstest.NewUser(t, w.pool, "approver")
	return w
}

// env is the environment of a console under test: this world's database,
// every Tencent Cloud call to its sandbox.
func (w *world) env(extra ...string) []string {
	return append([]string{
		"DATABASE_URL=" + w.dbURL,
		"CONSOLE_TENCENTCLOUD_ENDPOINT=" + w.sim.URL,
		"CONSOLE_SHUTDOWN_TIMEOUT=10s",
	}, extra...)
}

// draft is order n's draft: product p with parameters no other order has
// (a WAF InstanceName, a TCB Alias; a CreateInstance gets its own
// ClientToken when composed), so each call the sandbox receives names its
// order by the hash of its body.
func draft(t *testing.T, p orders.Product, account int64, n int) orders.Draft {
	t.Helper()
	d := orderstest.Draft(p, account)
	d.Title = fmt.Sprintf("e2e %s %d", p, n)
	dec := json.NewDecoder(bytes.NewReader(d.Params))
	dec.UseNumber()
	var params map[string]any
	if err := dec.Decode(&params); err != nil {
		t.Fatal(err)
	}
	switch p {
	case orders.ProductWAF:
		detail := params["Goods"].([]any)[0].(map[string]any)["GoodsDetail"].(map[string]any)
		detail["InstanceName"] = fmt.Sprintf("e2e-waf-%d", n)
	case orders.ProductTCB:
		params["Alias"] = fmt.Sprintf("e2e-tcb-%d", n)
	case orders.ProductBilling:
		// Each its own purchase: the duplicate guard refuses composing the
		// same CreateInstance while an identical one is being sent.
		params["ProjectId"] = n
	}
	b, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	d.Params = b
	return d
}

// approve composes, submits and approves n orders, products in turn, with a
// few at a time in flight. Each approval queues its send in its own
// transaction (the default policy: one approver, send on approval), so the
// consoles start sending while the rest are still being approved.
func (w *world) approve(t *testing.T, n int) []orders.Order {
	t.Helper()
	ctx := context.Background()
	out := make([]orders.Order, n)
	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed error
	)
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				o, err := w.approveOne(ctx, t, products[i%len(products)], i)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				out[i] = o
			}
		})
	}
	wg.Wait()
	if failed != nil {
		t.Fatal(failed)
	}
	return out
}

func (w *world) approveOne(ctx context.Context, t *testing.T, p orders.Product, n int) (orders.Order, error) {
	o, err := w.orders.Compose(ctx, w.requester, draft(t, p, w.account, n))
	if err != nil {
		return o, fmt.Errorf("compose order %d (%s): %w", n, p, err)
	}
	if o, err = w.orders.Submit(ctx, w.requester, o.ID, o.Version); err != nil {
		return o, fmt.Errorf("submit order %d: %w", o.ID, err)
	}
	if o, err = w.orders.Approve(ctx, w.approver, o.ID, o.Version, o.ParamsSHA256, "e2e", orders.ApproveOptions{}); err != nil {
		return o, fmt.Errorf("approve order %d: %w", o.ID, err)
	}
	if o.Status != orders.StatusApproved {
		return o, fmt.Errorf("order %d is %s after its approval", o.ID, o.Status)
	}
	return o, nil
}

// reload reads the orders again.
func (w *world) reload(t *testing.T, os []orders.Order) []orders.Order {
	t.Helper()
	out := make([]orders.Order, len(os))
	for i, o := range os {
		got, err := w.orders.Get(context.Background(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = got
	}
	return out
}

// statusCounts says how many orders are in each status, for messages.
func (w *world) statusCounts(t *testing.T) string {
	t.Helper()
	rows, err := w.pool.Query(context.Background(), `SELECT status, count(*) FROM orders GROUP BY status ORDER BY status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s %d", s, n))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(parts, ", ")
}

// waitSettled waits until no order is approved or sending and no send job is
// left to run. guard is a bound against a hung test, not an assertion on
// speed. It fails at once if one of the consoles has died.
func (w *world) waitSettled(t *testing.T, guard time.Duration, consoles ...*bt.Process) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		// A send job is still working while it resends an interrupted
		// CreateInstance order, which is unknown meanwhile: settled means
		// no order approved or sending and no send job left to run.
		var open, jobs int
		if err := w.pool.QueryRow(context.Background(), `
			SELECT (SELECT count(*) FROM orders WHERE status IN ('approved', 'sending')),
			       (SELECT count(*) FROM river_job WHERE queue = 'send'
			         AND state NOT IN ('completed', 'discarded', 'cancelled'))`).Scan(&open, &jobs); err != nil {
			t.Fatal(err)
		}
		if open == 0 && jobs == 0 {
			return time.Since(start)
		}
		for _, c := range consoles {
			if c.Ended() {
				t.Fatalf("%s exited while %d orders were still approved or sending", c, open)
			}
		}
		if time.Since(start) > guard {
			t.Fatalf("%d orders still approved or sending after %s (%s)", open, guard, w.statusCounts(t))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sandboxRecord is what the sandbox received for one order.
type sandboxRecord struct {
	calls  []tcsim.Call
	bought int
}

// byOrder groups the sandbox's purchase calls by order: a call belongs to
// the order whose approved parameter hash equals the hash of the body it
// received (orders differ in a WAF InstanceName, a TCB Alias or a
// CreateInstance ClientToken, so no two orders share a hash). A call that
// carries no approved order's parameters, or that is not a purchase, is an
// error: the consoles sent something nobody approved.
func byOrder(t *testing.T, calls []tcsim.Call, os []orders.Order) map[int64]*sandboxRecord {
	t.Helper()
	actions := map[string]bool{}
	for _, p := range products {
		a, err := p.Action()
		if err != nil {
			t.Fatal(err)
		}
		actions[a.Name] = true
	}
	hashes := make(map[string]int64, len(os))
	out := make(map[int64]*sandboxRecord, len(os))
	for _, o := range os {
		if _, dup := hashes[o.ParamsSHA256]; dup {
			t.Fatalf("two orders share the parameter hash %s: the test cannot tell their calls apart", o.ParamsSHA256)
		}
		hashes[o.ParamsSHA256] = o.ID
		out[o.ID] = &sandboxRecord{}
	}
	for _, c := range calls {
		if c.Action == "DescribeDealsByCond" {
			// The periodic bill lookup of unknown orders: it reads, and
			// must never buy.
			if c.Bought {
				t.Errorf("sandbox call %d, a bill lookup, bought", c.Seq)
			}
			continue
		}
		if !actions[c.Action] {
			t.Errorf("sandbox call %d is %s (%s), not a purchase; no console should make it here", c.Seq, c.Action, c.Outcome)
			continue
		}
		canon, err := orders.Canonical(c.Params)
		if err != nil {
			t.Errorf("sandbox call %d (%s) has a body that is not a JSON object: %v", c.Seq, c.Action, err)
			continue
		}
		id, ok := hashes[orders.Hash(canon)]
		if !ok {
			t.Errorf("sandbox call %d (%s, %s) carries parameters no order was approved with: %s", c.Seq, c.Action, c.Outcome, c.Params)
			continue
		}
		r := out[id]
		r.calls = append(r.calls, c)
		if c.Bought {
			r.bought++
		}
	}
	return out
}

// throttled counts the calls the sandbox answered RequestLimitExceeded.
func throttled(calls []tcsim.Call) int {
	n := 0
	for _, c := range calls {
		if c.Outcome == "RequestLimitExceeded" {
			n++
		}
	}
	return n
}

// checkStoredAnswer checks that a succeeded order stores the RequestId of a
// call the sandbox answered with success for it: the outcome was not lost
// or taken from another order's answer.
func checkStoredAnswer(t *testing.T, o orders.Order, r *sandboxRecord) {
	t.Helper()
	for _, c := range r.calls {
		if c.Outcome == "Success" && c.RequestID == o.Sent.RequestID {
			return
		}
	}
	t.Errorf("order %d (%s) succeeded with RequestId %q, which is not a successful sandbox call of it (%d calls)",
		o.ID, o.Product, o.Sent.RequestID, len(r.calls))
}

// attempts lists every send attempt of the orders by order.
func (w *world) attempts(t *testing.T, os []orders.Order) map[int64][]db.SendAttempt {
	t.Helper()
	out := make(map[int64][]db.SendAttempt, len(os))
	for _, o := range os {
		as, err := db.ListSendAttempts(context.Background(), w.pool, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			// Attempts cut short by a crash never learned what was sent;
			// every finished one must have sent the approved bytes.
			if a.SentSHA256 != "" && a.SentSHA256 != a.ParamsSHA256 {
				t.Errorf("order %d attempt %d sent parameters hashing to %s, approved %s", o.ID, a.Attempt, a.SentSHA256, a.ParamsSHA256)
			}
		}
		out[o.ID] = as
	}
	return out
}

// split says how many send attempts each console made, by name.
func split(t *testing.T, all map[int64][]db.SendAttempt, consoles ...*bt.Process) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, as := range all {
		for _, a := range as {
			name := "other (" + a.Replica + ")"
			for _, c := range consoles {
				if strings.HasSuffix(a.Replica, fmt.Sprintf("/%d", c.PID())) {
					name = c.Name
				}
			}
			out[name]++
		}
	}
	return out
}

// formatCounts prints a map in key order.
func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
