package sending

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

const (
	testSecretID  = "AKIDsendertest0000000000000000000000"
	testSecretKey = "sendertestsecretkey0000000000000"
)

// ownedByTests is what the sandbox's accounts own from the start: the
// instance orderstest's RenewInstance body renews.
var ownedByTests = []tcsim.Resource{{ID: "cfwi-0a1b2c3d", Product: "p_cloudfirewall"}}

// sandboxKeys stands in for the accounts service: every account signs with
// the sandbox's one key.
type sandboxKeys struct{}

func (sandboxKeys) Credentials(context.Context, int64) (tcapi.Credentials, error) {
	return tcapi.Credentials{SecretID: testSecretID, SecretKey: testSecretKey}, nil
}

type fixture struct {
	pool   db.Pool
	svc    *orders.Service
	sim    *tcsimtest.Server
	sender *Sender
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, func(s *orders.Service) *orders.Service { return s })
}

// newFixtureOn is newFixture with the orders service the sender records
// through changed by wrap (a clock, hooks).
func newFixtureOn(t *testing.T, wrap func(*orders.Service) *orders.Service) *fixture {
	t.Helper()
	pool := dbtest.New(t)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{testSecretID: testSecretKey}, Resources: ownedByTests})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	svc := wrap(orders.NewService(pool))
	return &fixture{pool: pool, svc: svc, sim: sim,
		sender: New(pool, svc, sandboxKeys{}, client, Config{Replica: "test"}, nil)}
}

func (f *fixture) get(t *testing.T, id int64) orders.Order {
	t.Helper()
	o, err := f.svc.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// purchases counts the calls the sandbox says bought something.
func (f *fixture) purchases() (calls, bought int) {
	for _, c := range f.sim.Calls() {
		calls++
		if c.Bought {
			bought++
		}
	}
	return calls, bought
}

func TestSendEachProductSucceeds(t *testing.T) {
	t.Parallel()
	for _, p := range orders.Products {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := orderstest.Approved(t, f.pool, f.svc, p)
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, o.ID)
			if got.Status != orders.StatusSucceeded || got.Sent.RequestID == "" || len(got.Sent.Response) == 0 {
				t.Fatalf("order after send: status %s, sent %+v", got.Status, got.Sent)
			}
			switch p {
			case orders.ProductWAF:
				if len(got.Sent.DealNames) != 1 || got.Sent.BigDealID == "" {
					t.Errorf("WAF deals not stored: %+v", got.Sent)
				}
			case orders.ProductBilling:
				if got.Sent.BillingOrderID == "" {
					t.Errorf("billing OrderId not stored: %+v", got.Sent)
				}
			}
			attempts, _ := db.ListSendAttempts(context.Background(), f.pool, o.ID)
			if len(attempts) != 1 || attempts[0].SentSHA256 != o.ParamsSHA256 || attempts[0].Outcome != "succeeded" {
				t.Fatalf("attempts %+v: the bytes sent must hash to the approved hash", attempts)
			}
			// What the sandbox received is exactly what was approved.
			calls := f.sim.Calls()
			canon, _ := orders.Canonical(calls[0].Params)
			if orders.Hash(canon) != o.ParamsSHA256 {
				t.Fatalf("sandbox received %s", calls[0].Params)
			}
			// A second run of the job (a retry after a crash in the job
			// queue) sends nothing.
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			if n, bought := f.purchases(); n != 1 || bought != 1 {
				t.Fatalf("%d calls, %d purchases", n, bought)
			}
		})
	}
}

func TestRejectedCallsFailWithTheirCode(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"FailedOperation", "InvalidParameter", "ResourceInsufficient", "UnauthorizedOperation", "LimitExceeded"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
			if _, err := f.sim.AddFault(tcsim.Fault{ErrorCode: code, ErrorMessage: "no"}); err != nil {
				t.Fatal(err)
			}
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, o.ID)
			if got.Status != orders.StatusFailed || got.Sent.ErrorCode != code || got.Sent.RequestID == "" {
				t.Fatalf("status %s, outcome %+v", got.Status, got.Sent)
			}
		})
	}
}

func TestBalanceRunsOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	f.sim.SetBalance(testSecretID, 0)
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusFailed || !strings.HasPrefix(got.Sent.ErrorCode, "FailedOperation.BalanceInsufficient") {
		t.Fatalf("status %s, code %q", got.Status, got.Sent.ErrorCode)
	}
}

func TestDroppedConnectionIsUnknownAndNeverResentForWAFAndTCB(t *testing.T) {
	t.Parallel()
	for _, p := range []orders.Product{orders.ProductWAF, orders.ProductTCB} {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := orderstest.Approved(t, f.pool, f.svc, p)
			if _, err := f.sim.AddFault(tcsim.Fault{Drop: true}); err != nil {
				t.Fatal(err)
			}
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, o.ID)
			if got.Status != orders.StatusUnknown || got.Sent.ErrorMessage == "" {
				t.Fatalf("status %s, outcome %+v", got.Status, got.Sent)
			}
			f.sim.ClearFaults()
			// The job running again (or any later job) must not call.
			for range 3 {
				if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
					t.Fatal(err)
				}
			}
			if n, _ := f.purchases(); n != 1 {
				t.Fatalf("%d calls reached the sandbox; an unknown order must never be sent again", n)
			}
		})
	}
}

// A crash after the call left but before its outcome was recorded leaves the
// order in sending. The next run must not call WAF again, and must resend
// CreateInstance with the same ClientToken, which buys nothing new.
func TestInterruptedSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, p := range orders.Products {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := orderstest.Approved(t, f.pool, f.svc, p)
			at, err := f.sender.begin(ctx, o.ID, 0, o.ParamsSHA256)
			if err != nil || at == nil {
				t.Fatalf("begin: %v", err)
			}
			if res, err := f.sender.call(ctx, at); res.Outcome != tcapi.Succeeded {
				t.Fatalf("first call: %v", err)
			}
			// ... and the process dies here. The job runs again:
			if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			got := f.get(t, o.ID)
			calls, bought := f.purchases()
			attempts, _ := db.ListSendAttempts(ctx, f.pool, o.ID)
			if attempts[0].Outcome != "interrupted" {
				t.Errorf("the dead process's attempt is %q, want interrupted", attempts[0].Outcome)
			}
			// CreateInstance and RenewInstance: resent with their token.
			if p.Spec().UsesClientToken {
				if got.Status != orders.StatusSucceeded || calls != 2 || bought != 1 {
					t.Fatalf("%s: status %s, %d calls, %d purchases", p, got.Status, calls, bought)
				}
				all := f.sim.Calls()
				if all[0].Orders[0] != all[1].Orders[0] || got.Sent.BillingOrderID != all[0].Orders[0] {
					t.Fatalf("resend returned another order: %v / %v", all[0].Orders, all[1].Orders)
				}
				return
			}
			if got.Status != orders.StatusUnknown || calls != 1 {
				t.Fatalf("%s: status %s, %d calls", p, got.Status, calls)
			}
			events, _ := db.AuditEventsFor(ctx, f.pool, o.Subject())
			if events[len(events)-1].Action != "order.send_interrupted" {
				t.Fatalf("last event %s", events[len(events)-1].Action)
			}
		})
	}
}

func TestThrottledAndNotSentAreRetried(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	if _, err := f.sim.AddFault(tcsim.Fault{ErrorCode: "RequestLimitExceeded", Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); !errors.Is(err, ErrRetry) {
		t.Fatalf("throttled: err %v, want ErrRetry", err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusApproved {
		t.Fatalf("throttled order is %s, want approved", got.Status)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusSucceeded || got.Sent.SendAttempts != 2 {
		t.Fatalf("after retry: %s, %d attempts", got.Status, got.Sent.SendAttempts)
	}

	// A console that cannot reach Tencent Cloud at all sends nothing and
	// keeps the order approved for a later try.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	client, _ := tcapi.NewClient(tcapi.ClientConfig{Endpoint: closed})
	offline := New(f.pool, f.svc, sandboxKeys{}, client, Config{}, nil)
	o2 := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	if err := offline.Send(context.Background(), o2.ID, o2.ParamsSHA256); !errors.Is(err, ErrRetry) {
		t.Fatalf("not sent: err %v", err)
	}
	if got := f.get(t, o2.ID); got.Status != orders.StatusApproved || got.Sent.Outcome != "not_sent" {
		t.Fatalf("not sent: %s %q", got.Status, got.Sent.Outcome)
	}
}

func TestNothingSentForAStaleJobOrAMovedOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	if err := f.sender.Send(ctx, o.ID, strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
	cancelled := orderstest.Move(t, f.pool, f.svc, orders.Actor{}, orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB), orders.StatusCancelled)
	if err := f.sender.Send(ctx, cancelled.ID, cancelled.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.purchases(); n != 0 {
		t.Fatalf("%d calls sent", n)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusApproved {
		t.Fatalf("stale job moved the order to %s", got.Status)
	}
}

func TestConcurrentJobsSendOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := f.get(t, o.ID)
	calls, bought := f.purchases()
	// One job called; the others found it sending (WAF: may have bought)
	// or already settled. Either way exactly one call.
	if calls != 1 || bought != 1 {
		t.Fatalf("%d calls, %d purchases (status %s)", calls, bought, got.Status)
	}
}

func TestCredentialsUnavailableFailsWithoutSending(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	s := New(f.pool, f.svc, noKeys{}, nil, Config{}, nil)
	if err := s.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	got := f.get(t, o.ID)
	if got.Status != orders.StatusFailed || got.Sent.ErrorCode != "Dealdesk.CredentialsUnavailable" {
		t.Fatalf("status %s, %+v", got.Status, got.Sent)
	}
	if n, _ := f.purchases(); n != 0 {
		t.Fatal("a call was made without credentials")
	}
}

// noKeys refuses as the accounts service does for a disabled account.
type noKeys struct{}

func (noKeys) Credentials(context.Context, int64) (tcapi.Credentials, error) {
	return tcapi.Credentials{}, accounts.ErrDisabled
}

// flakyKeys fails as a database that is briefly unreachable would.
type flakyKeys struct{}

func (flakyKeys) Credentials(context.Context, int64) (tcapi.Credentials, error) {
	return tcapi.Credentials{}, errors.New("db: get account 1: connection refused")
}

// A passing failure to read the keys leaves the approval standing: the
// order goes back to approved and the job is retried.
func TestCredentialsBrieflyUnreadableAreRetried(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductWAF)
	s := New(f.pool, f.svc, flakyKeys{}, nil, Config{}, nil)
	if err := s.Send(context.Background(), o.ID, o.ParamsSHA256); !errors.Is(err, ErrRetry) {
		t.Fatalf("err %v, want ErrRetry", err)
	}
	got := f.get(t, o.ID)
	if got.Status != orders.StatusApproved || got.Sent.Outcome != "not_sent" || got.Sent.ErrorMessage == "" {
		t.Fatalf("status %s, %+v", got.Status, got.Sent)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusSucceeded {
		t.Fatalf("after the retry: %s", got.Status)
	}
}
