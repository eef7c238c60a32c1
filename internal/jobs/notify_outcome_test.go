package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/orders"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// genericSink is a policy's generic webhook: it keeps every body it takes.
type genericSink struct {
	mu     sync.Mutex
	bodies []genericBody
	got    chan struct{}
}

func newGenericSink(t *testing.T) (*genericSink, string) {
	s := &genericSink{got: make(chan struct{}, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var g genericBody
		if err := json.Unmarshal(b, &g); err != nil {
			http.Error(w, "not JSON", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, g)
		s.mu.Unlock()
		s.got <- struct{}{}
	}))
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// wait returns once n bodies have arrived.
func (s *genericSink) wait(t *testing.T, n int) []genericBody {
	t.Helper()
	for {
		s.mu.Lock()
		have := len(s.bodies)
		out := append([]genericBody(nil), s.bodies...)
		s.mu.Unlock()
		if have >= n {
			return out
		}
		select {
		case <-s.got:
		case <-time.After(guard):
			t.Fatalf("%d of %d messages arrived: %+v", have, n, out)
		}
	}
}

// Every outcome of a send reaches the policy's webhook once, with the link
// to the order, from the transaction that recorded it: a success names
// what it bought, a failure says why.
func TestSendOutcomesAreToldOnceWithTheirLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	sink, url := newGenericSink(t)
	f.policy(t, url, orders.WebhookGeneric)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simID: simKey}})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(f.pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	sender := sending.New(f.pool, f.svc, simKeys{}, client, sending.Config{Replica: "test"}, nil)
	q, err := New(f.pool, Config{Sender: sender, SendTimeout: 10 * time.Second, BaseURL: testBaseURL})
	if err != nil {
		t.Fatal(err)
	}
	sender.UseNotifier(q)
	events, unsubscribe := q.client.Subscribe(river.EventKindJobCompleted)
	defer unsubscribe()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), guard)
		defer cancel()
		_ = q.Stop(stopCtx)
	})
	f.svc = f.svc.WithHooks(orders.Hooks{Send: q, Notify: q})

	// One that succeeds: needs approval, approved, succeeded.
	good := f.submit(t)
	if _, err := f.svc.Approve(ctx, f.approver, good.ID, good.Version, good.ParamsSHA256, "go", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	sink.wait(t, 3)
	// One that the service refuses: a failure with the catalog's words.
	if _, err := sim.AddFault(tcsim.Fault{ErrorCode: "FailedOperation", ErrorMessage: "no", Times: 1}); err != nil {
		t.Fatal(err)
	}
	bad := f.submit(t)
	if _, err := f.svc.Approve(ctx, f.approver, bad.ID, bad.Version, bad.ParamsSHA256, "go", orders.ApproveOptions{NotDuplicate: true}); err != nil {
		t.Fatal(err)
	}
	sink.wait(t, 6)
	// Let every notice job finish, then check none came twice.
	for done := 0; done < 6; {
		if ev := next(t, events); ev.Job.Kind == (WebhookArgs{}).Kind() {
			done++
		}
	}
	bodies := sink.wait(t, 6)
	if len(bodies) != 6 {
		t.Fatalf("%d messages, want 6: %+v", len(bodies), bodies)
	}
	seen := map[string]genericBody{}
	for _, b := range bodies {
		key := fmt.Sprintf("%d/%s", b.Order.ID, b.Event)
		if _, dup := seen[key]; dup {
			t.Errorf("%s told twice", key)
		}
		seen[key] = b
		want := fmt.Sprintf("https://dealdesk.example.com/orders/%d", b.Order.ID)
		if b.Event == "needs_approval" {
			want += "/approval"
		}
		if b.URL != want || !strings.Contains(b.Text, want) {
			t.Errorf("%s: url %q, text %q; want the link %s", key, b.URL, b.Text, want)
		}
	}
	for _, ev := range []string{"needs_approval", "approved", "succeeded"} {
		if _, ok := seen[fmt.Sprintf("%d/%s", good.ID, ev)]; !ok {
			t.Errorf("order %d: no %s message", good.ID, ev)
		}
	}
	if s := seen[fmt.Sprintf("%d/succeeded", good.ID)]; !strings.Contains(s.Text, "was bought") {
		t.Errorf("success text %q", s.Text)
	}
	failed, told := seen[fmt.Sprintf("%d/failed", bad.ID)]
	if !told || failed.ErrorCode != "FailedOperation" || failed.Explanation == "" ||
		!strings.Contains(failed.Text, "nothing was bought") || !strings.Contains(failed.Text, "(FailedOperation)") {
		t.Errorf("failure message %+v (told %v)", failed, told)
	}
}
