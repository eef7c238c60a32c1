package jobs

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// simBalances reads the sandbox account's balance the way the console
// does: a DescribeAccountBalance call (sending.Balances).
type simBalances struct{ client *tcapi.Client }

func (b simBalances) BalanceFen(ctx context.Context, _ int64) (int64, bool, error) {
	resp, _, err := b.client.CheckCredentials(ctx, tcapi.Credentials{SecretID: simID, SecretKey: simKey})
	if err != nil || resp == nil || resp.Balance == nil {
		return 0, false, err
	}
	return *resp.Balance, true, nil
}

// purchases counts the calls that buy (not the balance look-ups).
func purchases(sim *tcsimtest.Server) int {
	n := 0
	for _, c := range sim.Calls() {
		if c.Action != "DescribeAccountBalance" {
			n++
		}
	}
	return n
}

// deliveryRig is one queue whose sender reads the sandbox's balance, and
// the service that approves orders with a delivery date (sends on approval).
type deliveryRig struct {
	f   *fixture
	sim *tcsimtest.Server
	svc *orders.Service
}

func newDeliveryRig(t *testing.T, senderOrders *orders.Service, f *fixture, balance int64) *deliveryRig {
	t.Helper()
	ctx := context.Background()
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simID: simKey}, InitialBalance: balance})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(f.pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	sender := sending.New(f.pool, senderOrders, simKeys{}, client, sending.Config{Replica: "one"}, nil)
	sender.UseBalances(simBalances{client})
	q, err := New(f.pool, Config{Sender: sender, SendTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	sender.UseNotifier(q)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), guard)
		defer cancel()
		_ = q.Stop(stopCtx)
	})
	return &deliveryRig{f: f, sim: sim, svc: f.svc.WithHooks(orders.Hooks{Send: q, Notify: q})}
}

// priceTCB prices the fixture's CloudBase order at fen a month, in the list
// in force from today (behind the service's back: open orders keep theirs).
func priceTCB(t *testing.T, f *fixture, fen int64) {
	t.Helper()
	ctx := context.Background()
	list, err := f.svc.CurrentPriceList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries := []orders.PriceEntry{}
	for _, e := range list.Entries {
		if e.Item != "baas_personal" {
			entries = append(entries, e)
		}
	}
	entries = append(entries, orders.PriceEntry{Line: orders.PriceLineTCB, Item: "baas_personal", MonthlyFen: fen,
		EffectiveFrom: time.Now().UTC().Truncate(24 * time.Hour)})
	if err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error {
		_, err := db.InsertPriceList(ctx, tx, 0, "test", entries)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// schedule submits the fixture's order, dates it a few seconds ahead and
// approves it: its send job waits, scheduled.
func (r *deliveryRig) schedule(t *testing.T) orders.Order {
	t.Helper()
	ctx := context.Background()
	o := r.f.submit(t)
	if _, err := r.svc.SetDelivery(ctx, r.f.requester, o.ID, time.Now().Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	o, err := r.svc.Approve(ctx, r.f.approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{NotDuplicate: true})
	if err != nil || o.Status != orders.StatusApproved || sendJobState(t, r.f, o.ID) != "scheduled" {
		t.Fatalf("approve: %s %v, job %q", o.Status, err, sendJobState(t, r.f, o.ID))
	}
	return o
}

// waitJob waits until the order's newest send job is in one of states.
func (r *deliveryRig) waitJob(t *testing.T, id int64, states ...string) string {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		st := sendJobState(t, r.f, id)
		if slices.Contains(states, st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %d's send job is %q, want %v", id, st, states)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sentences are the order's audit entries in English, newest last.
func sentences(t *testing.T, f *fixture, o orders.Order, action string) []string {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT details::text FROM audit_events WHERE action = $1 AND subject = $2 ORDER BY id`,
		action, o.Subject())
	if err != nil {
		t.Fatal(err)
	}
	details, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(details))
	for _, d := range details {
		out = append(out, history.Sentence(history.AuditEntry{AuditEvent: db.AuditEvent{Action: action, Subject: o.Subject(), Actor: "system"}, DetailsText: d}, history.English))
	}
	return out
}

// At its delivery time a scheduled order whose estimate does not fit in
// the sandbox account's balance (less what else is approved) is not
// called: it stays approved, the shortfall is recorded with its numbers
// and told, and the job does not retry. Topped up, the person's send goes
// out once.
func TestScheduledDeliveryShortOfFundsIsNotSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	priceTCB(t, f, 5000) // 50.00 CNY a month
	r := newDeliveryRig(t, f.svc, f, 4000)
	var mu sync.Mutex
	var heard []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		mu.Lock()
		heard = append(heard, string(b))
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	f.policy(t, hook.URL, orders.WebhookGeneric)
	o := r.schedule(t)
	if est, _ := f.svc.EstimateFor(ctx, o.ID); est.TotalFen() != 5000 {
		t.Fatalf("estimate %s", est)
	}
	if st := r.waitJob(t, o.ID, "cancelled", "completed"); st != "cancelled" {
		t.Fatalf("the short delivery's job is %s", st)
	}
	if n := purchases(r.sim); n != 0 {
		t.Fatalf("%d purchases with a short balance", n)
	}
	got, _ := f.svc.Get(ctx, o.ID)
	if got.Status != orders.StatusApproved {
		t.Fatalf("a short delivery left the order %s", got.Status)
	}
	said := sentences(t, f, o, db.ActionOrderDeliveryShortOfFunds)
	if len(said) != 1 || !strings.Contains(said[0], "the balance (40.00 CNY) is less than the order's estimate (50.00 CNY) plus what is approved and waiting (0.00 CNY)") {
		t.Fatalf("short-of-funds entries: %q", said)
	}
	told := func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, b := range heard {
			if strings.Contains(b, "delivery_short_of_funds") && strings.Contains(b, "the balance (40.00 CNY) is less than its estimate (50.00 CNY)") {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(guard); !told(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the webhook never heard of the shortfall: %q", heard)
		}
	}
	// Not retried by itself.
	time.Sleep(time.Second)
	if n := purchases(r.sim); n != 0 || len(sentences(t, f, o, db.ActionOrderDeliveryShortOfFunds)) != 1 {
		t.Fatal("the short delivery was tried again")
	}

	// Topped up, sent again by a person: one purchase.
	r.sim.SetBalance(simID, 100000)
	if _, err := r.svc.RequestSend(ctx, f.requester, o.ID, o.ParamsSHA256); err != nil {
		t.Fatalf("send again: %v", err)
	}
	r.waitJob(t, o.ID, "completed")
	if got, _ := f.svc.Get(ctx, o.ID); got.Status != orders.StatusSucceeded || purchases(r.sim) != 1 {
		t.Fatalf("after the top-up: %s, %d purchases", got.Status, purchases(r.sim))
	}
}

// At its delivery time a scheduled order whose estimate moved since its
// approval is not called and returns for approval.
func TestScheduledDeliveryWithAChangedEstimateReturnsForApproval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	priceTCB(t, f, 5000)
	r := newDeliveryRig(t, f.svc, f, 0)
	f.policy(t, "", orders.WebhookGeneric)
	o := r.schedule(t)
	priceTCB(t, f, 7000)
	r.waitJob(t, o.ID, "completed")
	got, _ := f.svc.Get(ctx, o.ID)
	if n := purchases(r.sim); n != 0 || got.Status != orders.StatusPendingApproval {
		t.Fatalf("a changed estimate at delivery: %d purchases, order %s", n, got.Status)
	}
	if est, _ := f.svc.EstimateFor(ctx, o.ID); est.TotalFen() != 7000 {
		t.Fatalf("the order's estimate is %s, want the new price", est)
	}
}

// At its delivery time a scheduled order whose approval has expired (its
// rule lets approvals last a minute; the sender's clock is an hour on) is
// not called and returns for approval, saying so.
func TestScheduledDeliveryAfterItsApprovalExpiredReturnsForApproval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	later := f.svc.WithClock(func() time.Time { return time.Now().Add(time.Hour) })
	r := newDeliveryRig(t, later, f, 0)
	p := f.policy(t, "", orders.WebhookGeneric)
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	if _, err := f.svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{Name: "a minute", Condition: "true",
		Stages: []orders.Stage{{Count: 1}}, ValidForSeconds: 60, AutoSend: true}); err != nil {
		t.Fatal(err)
	}
	o := r.schedule(t)
	r.waitJob(t, o.ID, "completed")
	got, _ := f.svc.Get(ctx, o.ID)
	if _, expired := got.ApprovalExpired(); purchases(r.sim) != 0 || got.Status != orders.StatusPendingApproval || !expired {
		t.Fatalf("an expired approval at delivery: %d purchases, order %s, expired %v", purchases(r.sim), got.Status, expired)
	}
	if said := sentences(t, f, o, db.ActionOrderApprovalExpired); len(said) != 1 || !strings.Contains(said[0], "approval expired") {
		t.Fatalf("approval-expired entries: %q", said)
	}
}
