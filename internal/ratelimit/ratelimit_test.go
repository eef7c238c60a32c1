package ratelimit_test

import (
	"context"
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
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(c *tcapi.Client) {
			defer wg.Done()
			req := &tcapi.CreateBillDealRequest{DealType: tcapi.String("purchase"), ProductType: tcapi.String("tcb-baas"),
				PackageId: tcapi.String("baas_personal"), TimeSpan: tcapi.Int64(1), TimeUnit: tcapi.String("m")}
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
	l := ratelimit.NewPgLimiter(pool, 1) // one call a second: the second call must wait
	a := tcapi.LimitKey{SecretID: "A", Service: "tcb", Action: "CreateBillDeal"}
	b := tcapi.LimitKey{SecretID: "B", Service: "tcb", Action: "CreateBillDeal"}
	if err := l.Wait(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	// Another key has its own schedule: no wait.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := l.Wait(ctx, b); err != nil {
		t.Fatalf("independent key waited: %v", err)
	}
	// The same key's next slot is a second away: a context that ends first
	// makes Wait return its error.
	short, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if err := l.Wait(short, a); err == nil {
		t.Fatal("Wait ignored a cancelled context")
	}
}
