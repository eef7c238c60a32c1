package sending

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

type observed struct {
	product, outcome string
	waited           time.Duration
}

// Config.Observe hears of every recorded call, with its product, outcome
// class and, for an approved order's call, the time since its approval:
// what /metrics counts.
func TestObserveHearsEveryRecordedCall(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var mu sync.Mutex
	var got []observed
	f.sender.cfg.Observe = func(product, outcome string, waited time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, observed{product, outcome, waited})
	}
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	if _, err := f.sim.AddFault(tcsim.Fault{ErrorCode: "RequestLimitExceeded", Times: 1}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); !errors.Is(err, ErrRetry) {
		t.Fatalf("throttled: err %v, want ErrRetry", err)
	}
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	// A job run again for a settled order calls nothing and is not counted.
	if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].product != "tcb" || got[0].outcome != "throttled" ||
		got[1].product != "tcb" || got[1].outcome != "succeeded" {
		t.Fatalf("observed %+v, want tcb throttled then tcb succeeded", got)
	}
	for _, g := range got {
		if g.waited <= 0 {
			t.Errorf("%+v: a fresh send's wait since approval must be known", g)
		}
	}
}
