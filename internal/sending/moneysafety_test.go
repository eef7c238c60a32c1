package sending

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// The tests in this file are the money-safety promises of issue 11, one or
// more for each way they were broken.

const (
	otherSecretID  = "AKIDsendertestrotated0000000000000000"
	otherSecretKey = "sendertestrotatedkey000000000000"
)

// rotatingKeys is an account whose keys can be replaced mid-test.
type rotatingKeys struct {
	cur atomic.Pointer[tcapi.Credentials]
}

func newRotatingKeys() *rotatingKeys {
	k := &rotatingKeys{}
	k.cur.Store(&tcapi.Credentials{SecretID: testSecretID, SecretKey: testSecretKey})
	return k
}

func (k *rotatingKeys) Credentials(context.Context, int64) (tcapi.Credentials, error) {
	return *k.cur.Load(), nil
}

func (k *rotatingKeys) rotate() {
	k.cur.Store(&tcapi.Credentials{SecretID: otherSecretID, SecretKey: otherSecretKey})
}

// scheduled records the automatic resends a sender queues.
type scheduled struct {
	mu    sync.Mutex
	tries []scheduledResend
}

type scheduledResend struct {
	order int64
	try   int
	delay time.Duration
}

func (s *scheduled) ScheduleResend(_ context.Context, _ pgx.Tx, orderID int64, try int, delay time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries = append(s.tries, scheduledResend{orderID, try, delay})
	return nil
}

func (s *scheduled) all() []scheduledResend {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]scheduledResend(nil), s.tries...)
}

// twoKeyFixture is a fixture whose sandbox accepts both keys and whose
// sender's account keys can be rotated.
func twoKeyFixture(t *testing.T) (*fixture, *rotatingKeys) {
	t.Helper()
	pool := dbtest.New(t)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{testSecretID: testSecretKey, otherSecretID: otherSecretKey}, Resources: ownedByTests})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	svc := orders.NewService(pool)
	keys := newRotatingKeys()
	return &fixture{pool: pool, svc: svc, sim: sim, sender: New(pool, svc, keys, client, Config{Replica: "test"}, nil)}, keys
}

func lastEvent(t *testing.T, pool db.Pool, o orders.Order) db.AuditEvent {
	t.Helper()
	events, err := db.AuditEventsFor(context.Background(), pool, o.Subject())
	if err != nil || len(events) == 0 {
		t.Fatalf("audit events: %v", err)
	}
	return events[len(events)-1]
}

// 1. A resend refused for a reason that says nothing about the first call
// leaves the order unknown: the first call may have bought.
func TestResendRefusedForAnUnrelatedReasonStaysUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, code := range []string{"AuthFailure.SignatureFailure", "AuthFailure.TokenFailure", "InvalidParameterValue", "UnauthorizedOperation"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := f.unknownOrder(t, orders.ProductBilling) // the dropped call bought
			if _, err := f.sim.AddFault(tcsim.Fault{ErrorCode: code, Times: 1}); err != nil {
				t.Fatal(err)
			}
			got, err := f.sender.ResendWithToken(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != orders.StatusUnknown || f.get(t, o.ID).Status != orders.StatusUnknown {
				t.Fatalf("after a resend refused with %s the order is %s; the first call bought, so it must stay unknown", code, got.Status)
			}
			if ev := lastEvent(t, f.pool, o); ev.Action != "order.resend_inconclusive" || ev.Details["error_code"] != code {
				t.Fatalf("last event %s %v", ev.Action, ev.Details)
			}
		})
	}
}

// 1. The same in the rescue path: an order whose call may have left is
// never failed by a reason of the console's own (here: the account was
// disabled before the rescue).
func TestRescueWithUnusableCredentialsStaysUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	f.callThenDie(t, o)
	// The process dies before recording; the account is disabled; the
	// job is rescued.
	disabled := New(f.pool, f.svc, noKeys{}, nil, Config{Replica: "rescuer"}, nil)
	if err := disabled.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("rescued with a disabled account, the bought order is %s (%+v)", got.Status, got.Sent)
	}
	if _, bought := f.purchases(); bought != 1 {
		t.Fatalf("%d purchases", bought)
	}
	attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
	if last := attempts[len(attempts)-1]; last.ErrorCode != "Dealdesk.CredentialsUnavailable" {
		t.Fatalf("the rescue's attempt does not say why it was not sent: %+v", last)
	}
}

// 1. A refusal that comes from buying itself proves the token bought
// nothing: that one does settle the order as failed.
func TestResendRefusedByThePurchaseSettlesFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	// A 502 from a gateway before the service: nothing bought, outcome unknown.
	if _, err := f.sim.AddFault(tcsim.Fault{HTTPStatus: 502, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("after a 502: %s", got.Status)
	}
	f.sim.SetBalance(testSecretID, 0)
	if _, err := f.sender.ResendWithToken(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusFailed || got.Sent.ErrorCode != "FailedOperation.BalanceInsufficient" {
		t.Fatalf("status %s, %+v", got.Status, got.Sent)
	}
	if _, bought := f.purchases(); bought != 0 {
		t.Fatalf("%d purchases", bought)
	}
}

// 2. A resend is signed with the key of the first call. After the account's
// keys were replaced it is not made, and the order page can say why.
func TestResendAfterKeyRotationIsNotMade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, keys := twoKeyFixture(t)
	o := f.unknownOrder(t, orders.ProductBilling) // bought under the first key
	keys.rotate()
	got, err := f.sender.ResendWithToken(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID)
	if refused, ok := fault.As(err); !ok || !strings.Contains(refused.Msg.String(), "keys were replaced") {
		t.Fatalf("resend after rotation: %v", err)
	}
	if got.Status != orders.StatusUnknown {
		t.Fatalf("status %s", got.Status)
	}
	if calls, bought := f.purchases(); calls != 1 || bought != 1 {
		t.Fatalf("%d calls, %d purchases: a resend under another key may buy again", calls, bought)
	}
	attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
	if attempts[0].SecretID != testSecretID || attempts[1].ErrorCode != "Dealdesk.SecretIdChanged" || attempts[1].CallingAt != nil {
		t.Fatalf("attempts %+v", attempts)
	}
	// The first key back on the account: the resend settles it.
	keys.cur.Store(&tcapi.Credentials{SecretID: testSecretID, SecretKey: testSecretKey})
	if got, err := f.sender.ResendWithToken(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID); err != nil || got.Status != orders.StatusSucceeded {
		t.Fatalf("resend with the first key: %s %v", got.Status, err)
	}
	if calls, bought := f.purchases(); calls != 2 || bought != 1 {
		t.Fatalf("%d calls, %d purchases", calls, bought)
	}
}

// 2. The rescue path resends with the first call's key too.
func TestRescueAfterKeyRotationIsNotMade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f, keys := twoKeyFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	f.callThenDie(t, o)
	keys.rotate()
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("status %s", got.Status)
	}
	if calls, bought := f.purchases(); calls != 1 || bought != 1 {
		t.Fatalf("%d calls, %d purchases", calls, bought)
	}
}

// 4. An answer that arrives while Postgres is down is kept and recorded once
// it is back, and it is in the log the moment it arrives.
func TestAnswerRecordedAcrossADatabaseOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	var logBuf syncBuffer
	f.sender.log = slog.New(slog.NewJSONHandler(&logBuf, nil))
	f.sender.backoff = func(int) time.Duration { return 50 * time.Millisecond }
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	// The sandbox buys at once and answers after 1.5s; Postgres goes away
	// meanwhile and comes back 2s later.
	if _, err := f.sim.AddFault(tcsim.Fault{Latency: 1500 * time.Millisecond, Times: 1}); err != nil {
		t.Fatal(err)
	}
	out := outage(t, f.pool)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		time.Sleep(500 * time.Millisecond)
		out.begin()
		time.Sleep(2500 * time.Millisecond)
		out.end()
	}()
	defer func() { <-ended }()
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if !out.happened() {
		t.Fatal("the outage never began")
	}
	got := f.get(t, o.ID)
	if got.Status != orders.StatusSucceeded || got.Sent.RequestID == "" || len(got.Sent.DealNames) != 1 {
		t.Fatalf("after the outage: %s %+v", got.Status, got.Sent)
	}
	answers, err := ReadAnswers(strings.NewReader(logBuf.String()))
	if err != nil || len(answers) != 1 || answers[0].RequestID != got.Sent.RequestID || len(answers[0].Received) == 0 {
		t.Fatalf("the log's answer: %v %+v", err, answers)
	}
	if !strings.Contains(logBuf.String(), "could not record the answer; trying again") {
		t.Fatal("the record never had to wait for the database")
	}
}

// 4. When the process stops with an answer the database would not take, the
// answer goes to the log, and `console sending replay` records it.
func TestUnrecordedAnswerIsReplayedFromTheLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	var logBuf syncBuffer
	stopping := make(chan struct{})
	client, _ := tcapi.NewClient(tcapi.ClientConfig{Endpoint: f.sim.URL})
	s := New(f.pool, f.svc, sandboxKeys{}, client, Config{Replica: "dying", Stopping: stopping, RecordPatience: 300 * time.Millisecond},
		slog.New(slog.NewTextHandler(&logBuf, nil)))
	s.backoff = func(int) time.Duration { return 50 * time.Millisecond }
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	if _, err := f.sim.AddFault(tcsim.Fault{Latency: time.Second, Times: 1}); err != nil {
		t.Fatal(err)
	}
	out := outage(t, f.pool)
	go func() {
		time.Sleep(400 * time.Millisecond)
		out.begin()
		close(stopping) // SIGTERM during the outage
	}()
	if err := s.Send(ctx, o.ID, o.ParamsSHA256); err == nil {
		t.Fatal("Send reported success with the database down")
	}
	s.Wait()
	if !strings.Contains(logBuf.String(), "answer not recorded") {
		t.Fatalf("no unrecorded line in the log:\n%s", logBuf.String())
	}
	out.end()
	if got := f.get(t, o.ID); got.Status != orders.StatusSending {
		t.Fatalf("before the replay the order is %s", got.Status)
	}
	answers, err := ReadAnswers(strings.NewReader(logBuf.String()))
	if err != nil || len(answers) != 1 {
		t.Fatalf("answers %v %+v", err, answers)
	}
	_, done, err := f.sender.Replay(ctx, answers[0])
	got := f.get(t, o.ID)
	if err != nil || !done || got.Status != orders.StatusSucceeded || got.Sent.RequestID != answers[0].RequestID {
		t.Fatalf("replay: %v %v %s %+v", err, done, got.Status, got.Sent)
	}
	if _, done, err := f.sender.Replay(ctx, answers[0]); err != nil || done {
		t.Fatalf("a second replay recorded again: %v %v", done, err)
	}
	if ev := lastEvent(t, f.pool, o); ev.Action != "order.answer_replayed" {
		t.Fatalf("last event %s", ev.Action)
	}
}

// 5. A send interrupted before its call started sent nothing: the rescue
// sends it normally instead of calling it unknown.
func TestInterruptedBeforeTheCallIsSentNormally(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, p := range orders.Products {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := orderstest.Approved(t, f.pool, f.svc, p)
			if at, err := f.sender.begin(ctx, o.ID, 0, o.ParamsSHA256); err != nil || at == nil {
				t.Fatalf("begin: %v", err)
			}
			// ... the process dies opening the credentials or waiting for
			// the rate limit. The job is rescued:
			if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, o.ID)
			if calls, bought := f.purchases(); got.Status != orders.StatusSucceeded || calls != 1 || bought != 1 {
				t.Fatalf("status %s, %d calls, %d purchases", got.Status, calls, bought)
			}
			attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
			if attempts[0].Outcome != "not_called" || attempts[0].CallingAt != nil || attempts[1].CallingAt == nil || attempts[1].SecretID != testSecretID {
				t.Fatalf("attempts %+v", attempts)
			}
		})
	}
}

// 6. The bytes on the wire are the stored bytes, even when the typed request
// would encode them differently.
func TestStoredBytesAreSentAsTheyAre(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	// An order stored before compose refused such bodies: "Source":null
	// means "unset" to the typed request, which would leave it out.
	params := strings.Replace(string(o.Params), `{`, `{"Source":null,`, 1)
	canon, err := orders.Canonical([]byte(params))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `ALTER TABLE orders DISABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE orders SET params = $2, params_sha256 = $3 WHERE id = $1`, o.ID, string(canon), orders.Hash(canon)); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, orders.Hash(canon)); err != nil {
		t.Fatal(err)
	}
	calls := f.sim.Calls()
	if len(calls) != 1 || orders.Hash(calls[0].Params) != orders.Hash(canon) {
		t.Fatalf("the sandbox received %s, not the approved %s", calls[0].Params, canon)
	}
	attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
	if attempts[0].SentSHA256 != orders.Hash(canon) {
		t.Fatalf("sent %s, approved %s", attempts[0].SentSHA256, orders.Hash(canon))
	}
}

// 7. An unknown CreateInstance queues its own resend, which settles it with
// no person; an inconclusive resend queues the next, until the tries run out.
func TestUnknownCreateInstanceResendsItself(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	queue := &scheduled{}
	f.sender.cfg.AutoResendTries = 3
	f.sender.UseResendScheduler(queue)
	o := f.unknownOrder(t, orders.ProductBilling) // dropped after buying
	if q := queue.all(); len(q) != 1 || q[0] != (scheduledResend{o.ID, 1, time.Minute}) {
		t.Fatalf("queued %+v, want try 1 after a minute", q)
	}
	// The first automatic try meets a 502 again: still unknown, try 2 queued.
	if _, err := f.sim.AddFault(tcsim.Fault{HTTPStatus: 502, Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.AutoResend(ctx, o.ID, 1); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("after an inconclusive try: %s", got.Status)
	}
	if q := queue.all(); len(q) != 2 || q[1].try != 2 || q[1].delay != time.Minute {
		t.Fatalf("queued %+v", q)
	}
	if err := f.sender.AutoResend(ctx, o.ID, 2); err != nil {
		t.Fatal(err)
	}
	got := f.get(t, o.ID)
	if calls, bought := f.purchases(); got.Status != orders.StatusSucceeded || calls != 3 || bought != 1 {
		t.Fatalf("status %s, %d calls, %d purchases", got.Status, calls, bought)
	}
	if ev := lastEvent(t, f.pool, o); ev.Action != "order.settled_by_resend" || ev.Actor != "system" {
		t.Fatalf("last event %s by %s", ev.Action, ev.Actor)
	}
	// A try for an order no longer unknown does nothing.
	if err := f.sender.AutoResend(ctx, o.ID, 3); err != nil {
		t.Fatal(err)
	}
	if calls, _ := f.purchases(); calls != 3 {
		t.Fatalf("%d calls", calls)
	}

	// When every try is inconclusive, the order waits for a person.
	o2 := f.unknownOrder(t, orders.ProductBilling)
	if _, err := f.sim.AddFault(tcsim.Fault{HTTPStatus: 502}); err != nil {
		t.Fatal(err)
	}
	for try := 1; try <= 3; try++ {
		if err := f.sender.AutoResend(ctx, o2.ID, try); err != nil {
			t.Fatal(err)
		}
	}
	if ev := lastEvent(t, f.pool, o2); ev.Details["automatic_resends_exhausted"] != true || f.get(t, o2.ID).Status != orders.StatusUnknown {
		t.Fatalf("last event %s %v", ev.Action, ev.Details)
	}
	n := 0
	for _, q := range queue.all() {
		if q.order == o2.ID {
			n++
		}
	}
	if n != 3 { // try 1 from the unknown answer, tries 2 and 3 from the inconclusive ones
		t.Fatalf("%d tries queued for the second order, want 3", n)
	}
}

// callThenDie sends an approved order's call, which buys, and records
// nothing: what a process killed right after its call leaves behind.
func (f *fixture) callThenDie(t *testing.T, o orders.Order) {
	t.Helper()
	ctx := context.Background()
	at, err := f.sender.begin(ctx, o.ID, 0, o.ParamsSHA256)
	if err != nil || at == nil {
		t.Fatalf("begin: %v", err)
	}
	if res, err := f.sender.call(ctx, at); res.Outcome != tcapi.Succeeded {
		t.Fatalf("first call: %v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// dbOutage makes a test's database unreachable: new connections are
// refused and the existing ones are ended, as during a restart.
type dbOutage struct {
	t     *testing.T
	name  string
	began atomic.Bool
}

func outage(t *testing.T, pool db.Pool) *dbOutage {
	t.Helper()
	return &dbOutage{t: t, name: pool.(*pgxpool.Pool).Config().ConnConfig.Database}
}

func (o *dbOutage) admin(sql string) {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		o.t.Errorf("outage: %v", err)
		return
	}
	defer func() { _ = c.Close(ctx) }()
	if _, err := c.Exec(ctx, sql); err != nil {
		o.t.Errorf("outage: %s: %v", sql, err)
	}
}

func (o *dbOutage) begin() {
	o.admin(fmt.Sprintf(`ALTER DATABASE %s ALLOW_CONNECTIONS false`, o.name))
	o.admin(fmt.Sprintf(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'`, o.name))
	o.began.Store(true)
}

func (o *dbOutage) end() { o.admin(fmt.Sprintf(`ALTER DATABASE %s ALLOW_CONNECTIONS true`, o.name)) }

func (o *dbOutage) happened() bool { return o.began.Load() }

// 7. A rescue resends an interrupted CreateInstance at once, but the process
// may die during that resend too, with the order already unknown: the first
// automatic resend, queued in the rescue's transaction, still settles it.
func TestRescueQueuesAResendThatOutlivesIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	queue := &scheduled{}
	f.sender.UseResendScheduler(queue)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	f.callThenDie(t, o)
	// The first process dies; the rescuer takes over and dies before its
	// resend is made.
	rescue, err := f.sender.begin(ctx, o.ID, 0, o.ParamsSHA256)
	if err != nil || rescue == nil || rescue.mode != resend {
		t.Fatalf("takeover: %+v %v", rescue, err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusUnknown {
		t.Fatalf("after the takeover: %s", got.Status)
	}
	if q := queue.all(); len(q) != 1 || q[0] != (scheduledResend{o.ID, 1, time.Minute}) {
		t.Fatalf("queued %+v, want the first automatic resend", q)
	}
	// Nothing else would ever move it: a rescued send job finds it unknown.
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.AutoResend(ctx, o.ID, 1); err != nil {
		t.Fatal(err)
	}
	if calls, bought := f.purchases(); f.get(t, o.ID).Status != orders.StatusSucceeded || calls != 2 || bought != 1 {
		t.Fatalf("status %s, %d calls, %d purchases", f.get(t, o.ID).Status, calls, bought)
	}
}
