package browsertest

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// Each Chromium takes a few hundred megabytes and a core while it starts and
// renders; a dozen parallel tests each starting one or two on a loaded
// two-core machine time out on steps that take a second when alone. So the
// tests that use browsers take turns: at most BROWSERTEST_PARALLEL of them hold
// browsers at once. A test takes its slot at its first NewBrowser and keeps
// it, for all its browsers, until it ends; a test never waits for a slot
// while holding one, so taking turns cannot deadlock.
//
// The default is GOMAXPROCS/2 tests (at least one): the tests open up to two
// browsers each, so about one Chromium per core. BROWSERTEST_PARALLEL
// overrides it.
var (
	slots     = sync.OnceValues(newSlots)
	slotsMu   sync.Mutex
	slotOwner = map[*testing.T]bool{}
)

func newSlots() (chan struct{}, error) {
	n := max(1, runtime.GOMAXPROCS(0)/2)
	if v := os.Getenv("BROWSERTEST_PARALLEL"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			return nil, fmt.Errorf("BROWSERTEST_PARALLEL must be a whole number of at least 1, not %q", v)
		}
		n = p
	}
	return make(chan struct{}, n), nil
}

// takeSlot waits for a browser slot for t, unless t holds one already, and
// gives it back when t ends. Call it before starting Chromium, so that the
// browser's own cleanup (registered later) closes it before the slot is
// released.
func takeSlot(t *testing.T) {
	t.Helper()
	sem, err := slots()
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	slotsMu.Lock()
	held := slotOwner[t]
	slotsMu.Unlock()
	if held {
		return
	}
	sem <- struct{}{}
	slotsMu.Lock()
	slotOwner[t] = true
	slotsMu.Unlock()
	t.Cleanup(func() {
		slotsMu.Lock()
		delete(slotOwner, t)
		slotsMu.Unlock()
		<-sem
	})
}
