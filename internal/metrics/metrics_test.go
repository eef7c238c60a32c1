package metrics_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/metrics"
)

func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func wantLines(t *testing.T, body string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(body, l) {
			t.Errorf("scrape lacks %q", l)
		}
	}
}

func TestSendsAndRequestsAreCounted(t *testing.T) {
	t.Parallel()
	m := metrics.New(nil, nil)
	m.ObserveSend("tcb", "succeeded", 3*time.Second)
	m.ObserveSend("tcb", "throttled", 0)
	m.ObserveSend("waf", "unknown", 0)
	m.ObserveRequest(http.MethodGet, "/orders/:id", 200, 20*time.Millisecond)
	body := scrape(t, m)
	wantLines(t, body,
		`dealdesk_sends_total{outcome="succeeded",product="tcb"} 1`,
		`dealdesk_sends_total{outcome="throttled",product="tcb"} 1`,
		`dealdesk_sends_total{outcome="unknown",product="waf"} 1`,
		`dealdesk_sends_throttled_total{product="tcb"} 1`,
		`dealdesk_send_approved_to_sent_seconds_count{product="tcb"} 1`,
		`dealdesk_send_approved_to_sent_seconds_sum{product="tcb"} 3`,
		`dealdesk_http_request_duration_seconds_count{code="200",method="GET",route="/orders/:id"} 1`,
		`go_goroutines `,
	)
	if strings.Contains(body, `dealdesk_send_approved_to_sent_seconds_count{product="waf"}`) {
		t.Error("a call with no approval time was timed")
	}
}

// The shared figures come from the database at each scrape: the queue's
// waiting jobs and their age, the unknown orders, the pool.
func TestDatabaseFiguresAreRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	for _, stmt := range []string{
		`INSERT INTO river_job (kind, queue, args, state, max_attempts, scheduled_at)
		 VALUES ('send_order', 'send', '{}', 'available', 5, now() - interval '90 seconds'),
		        ('send_order', 'send', '{}', 'available', 5, now() - interval '10 seconds'),
		        ('send_order', 'send', '{}', 'scheduled', 5, now() + interval '1 hour')`,
		`INSERT INTO order_counts (product, account_id, requester_id, status, n) VALUES ('waf', 1, 1, 'unknown', 4), ('tcb', 1, 1, 'succeeded', 9)`,
		`INSERT INTO order_count_deltas (product, account_id, requester_id, status, delta) VALUES ('tcb', 1, 1, 'unknown', 2), ('waf', 1, 1, 'unknown', -1)`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	body := scrape(t, metrics.New(pool, nil))
	wantLines(t, body,
		`dealdesk_queue_waiting_jobs{queue="send"} 2`,
		`dealdesk_queue_waiting_jobs{queue="notify"} 0`,
		`dealdesk_orders_unknown 5`,
		`dealdesk_metrics_db_errors 0`,
		`dealdesk_db_pool_max_connections `,
		`dealdesk_db_pool_connections{state="idle"} `,
	)
	var age float64
	for l := range strings.SplitSeq(body, "\n") {
		if rest, ok := strings.CutPrefix(l, `dealdesk_queue_oldest_waiting_seconds{queue="send"} `); ok {
			if _, err := fmt.Sscan(rest, &age); err != nil {
				t.Fatal(err)
			}
		}
	}
	if age < 90 || age > 3600 {
		t.Errorf("oldest send waits %v s, want about 90", age)
	}
}
