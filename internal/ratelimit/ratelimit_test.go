package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// Two limiters on one database stand for two console replicas. Together they
// must never let the sandbox see more than 20 calls of one key in any second.
func TestPgLimiterIsSharedAcrossReplicas(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	replicas := []*ratelimit.PgLimiter{ratelimit.NewPgLimiter(pool, 20), ratelimit.NewPgLimiter(pool, 20)}
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{"AKIDlimit": "secret"}})
	clients := make([]*tcapi.Client, len(replicas))
	for i, l := range replicas {
		c, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: l})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	creds := tcapi.Credentials{SecretID: "AKIDlimit", SecretKey: "secret"}

	const calls = 60
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[tcapi.Outcome]int{}
	for i := range calls {
		wg.Add(1)
		go func(c *tcapi.Client) {
			defer wg.Done()
			req := &tcapi.CreateBillDealRequest{DealType: new("purchase"), ProductType: new("tcb-baas"),
				PackageId: new("baas_personal"), TimeSpan: new(int64(1)), TimeUnit: new("m")}
			res, _ := c.Send(context.Background(), creds, req)
			mu.Lock()
			outcomes[res.Outcome]++
			mu.Unlock()
		}(clients[i%len(clients)])
	}
	wg.Wait()
	if outcomes[tcapi.Succeeded] != calls {
		t.Fatalf("outcomes %v: the sandbox throttled calls the shared limiter let through", outcomes)
	}
}

func TestPgLimiterKeysAreIndependentAndHonourContext(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	// One call every ten seconds: a key's second call must wait about ten
	// seconds, far longer than any query takes even on a loaded machine, so
	// each check below tells "waited for the slot" from "did not".
	const spacing = 10 * time.Second
	l := ratelimit.NewPgLimiter(pool, 0.1)
	a := tcapi.LimitKey{SecretID: "A", Service: "tcb", Action: "CreateBillDeal"}
	b := tcapi.LimitKey{SecretID: "B", Service: "tcb", Action: "CreateBillDeal"}
	if err := l.Wait(context.Background(), a); err != nil {
		t.Fatal(err)
	}

	// Another key has its own schedule: no wait. Were the schedule shared,
	// b would wait for a's next slot, ten seconds away.
	start := time.Now()
	if err := l.Wait(context.Background(), b); err != nil {
		t.Fatalf("independent key: %v", err)
	}
	if waited := time.Since(start); waited > spacing/2 {
		t.Fatalf("independent key waited %v: it shares a's schedule", waited)
	}

	// The same key's next slot is ten seconds away: a context that ends
	// after the reservation but before the slot makes Wait return at once,
	// with the context's error. A Wait that slept through its slot would
	// return nil after ten seconds.
	short, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start = time.Now()
	err := l.Wait(short, a)
	waited := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with a context ending before the slot returned %v, want context.DeadlineExceeded", err)
	}
	if waited > spacing/2 {
		t.Fatalf("Wait returned after %v: it slept through the slot instead of following the context", waited)
	}
}
