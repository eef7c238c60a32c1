package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"

	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// webhook-verify: the README's snippet, word for word
// (TestTheREADMEVerificationSnippetIsThisOne holds them together).
// verify reports whether a webhook request came from Dealdesk: its
// signature matches the body under the secret, and it was signed within
// five minutes of now (a replay of an old message is refused).
func verify(secret []byte, h http.Header, body []byte, now time.Time) bool {
	ts := h.Get("X-Dealdesk-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(want), []byte(h.Get("X-Dealdesk-Signature")))
}

func TestTheREADMEVerificationSnippetIsThisOne(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "<!-- webhook-verify -->\n```go\n")
	if !ok {
		t.Fatal("README has no webhook-verify snippet")
	}
	snippet, _, _ := strings.Cut(after, "```")
	self, err := os.ReadFile("notify_channels_test.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(self), snippet) {
		t.Fatalf("README's snippet is not the verify this test runs:\n%s", snippet)
	}
}

var testKeys = func() *secrets.Keyring {
	k, err := secrets.NewKeyring("k1", []byte("0123456789abcdef0123456789abcdef"), nil)
	if err != nil {
		panic(err)
	}
	return k
}()

type received struct {
	header http.Header
	query  url.Values
	body   []byte
}

// sink is an HTTP webhook receiver that records what it gets and answers
// with answer (status, body), call by call.
func sink(t *testing.T, answer func(n int) (int, string)) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{header: r.Header.Clone(), query: r.URL.Query(), body: b})
		n := len(got)
		mu.Unlock()
		status, body := answer(n)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

// waitDone waits for n finished (completed or cancelled) notice jobs. The
// queue's periodic jobs (upkeep, renewals) run at start too: they are not
// notices and do not count.
func waitDone(t *testing.T, events <-chan *river.Event, n int) []*river.Event {
	t.Helper()
	var out []*river.Event
	for len(out) < n {
		ev := next(t, events)
		if ev.Job != nil && (ev.Job.Kind == (WebhookArgs{}).Kind() || ev.Job.Kind == (EmailArgs{}).Kind()) && (ev.Kind == river.EventKindJobCompleted || ev.Kind == river.EventKindJobCancelled) {
			out = append(out, ev)
		}
	}
	return out
}

func TestASignedGenericWebhookVerifiesWithTheREADMESnippet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	hook, got := sink(t, func(int) (int, string) { return 200, "ok" })
	f := newFixture(t, nil)
	q, events := startQueueWith(t, f, Config{BaseURL: testBaseURL, Keys: testKeys})
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	p := f.policy(t, hook.URL+"/dealdesk", orders.WebhookGeneric)
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	const secret = "a-long-shared-secret-for-tests"
	ns := notify.NewService(f.pool, testKeys, q)
	if err := ns.SetWebhookSecret(ctx, admin, p.ID, secrets.NewString(secret)); err != nil {
		t.Fatal(err)
	}
	f.submit(t)
	waitDone(t, events, 1)
	r := got()
	if len(r) != 1 {
		t.Fatalf("%d deliveries, want 1", len(r))
	}
	if !verify([]byte(secret), r[0].header, r[0].body, time.Now()) {
		t.Fatalf("the README's verify refuses a genuine delivery: headers %v", r[0].header)
	}
	// And it would refuse what it must: another secret, a changed body, an
	// old message.
	if verify([]byte("another-secret-entirely"), r[0].header, r[0].body, time.Now()) {
		t.Error("verify accepts another secret")
	}
	tampered := append([]byte(nil), r[0].body...)
	tampered[len(tampered)-2] ^= 1
	if verify([]byte(secret), r[0].header, tampered, time.Now()) {
		t.Error("verify accepts a changed body")
	}
	if verify([]byte(secret), r[0].header, r[0].body, time.Now().Add(time.Hour)) {
		t.Error("verify accepts a message signed an hour ago")
	}
	// The secret is sealed: not in the table in clear, not in the audit log,
	// not in the job.
	var leaks int
	if err := f.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM webhook_secrets WHERE position($1::bytea IN sealed) > 0) +
		(SELECT count(*) FROM audit_events WHERE details::text LIKE '%' || $2 || '%') +
		(SELECT count(*) FROM river_job WHERE args::text LIKE '%' || $2 || '%')`, []byte(secret), secret).Scan(&leaks); err != nil {
		t.Fatal(err)
	}
	if leaks != 0 {
		t.Errorf("the secret shows in clear in %d rows", leaks)
	}
	// Sealed to its policy: moved to another policy's row, it does not open.
	other := f.policyFor(t, orders.ProductWAF, hook.URL, orders.WebhookGeneric)
	if _, err := f.pool.Exec(ctx, `INSERT INTO webhook_secrets (policy_id, key_id, nonce, sealed)
		SELECT $2, key_id, nonce, sealed FROM webhook_secrets WHERE policy_id = $1`, p.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := notify.OpenWebhookSecret(ctx, f.pool, testKeys, other.ID); err == nil {
		t.Error("a secret copied to another policy opens")
	}
}

func TestDingTalkAndFeishuRobotsAreSignedTheirWay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const secret = "SECabcdef0123456789abcdef0123456789"
	for _, tc := range []struct {
		format orders.WebhookFormat
		answer string
		check  func(t *testing.T, r received)
	}{
		{orders.WebhookDingTalk, `{"errcode":0,"errmsg":"ok"}`, func(t *testing.T, r received) {
			// https://open.dingtalk.com/document/robots/customize-robot-security-settings
			ts := r.query.Get("timestamp")
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write([]byte(ts + "\n" + secret))
			if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.query.Get("sign") != want {
				t.Errorf("DingTalk sign %q, want %q", r.query.Get("sign"), want)
			}
			var b struct {
				MsgType  string `json:"msgtype"`
				Markdown struct{ Title, Text string }
			}
			if err := json.Unmarshal(r.body, &b); err != nil || b.MsgType != "markdown" ||
				!strings.Contains(b.Markdown.Text, "needs approval") || !strings.Contains(b.Markdown.Text, "https://dealdesk.example.com/orders/") {
				t.Errorf("DingTalk body %s (%v)", r.body, err)
			}
		}},
		{orders.WebhookFeishu, `{"code":0,"msg":"success"}`, func(t *testing.T, r received) {
			// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
			var b struct {
				Timestamp, Sign string
				MsgType         string `json:"msg_type"`
				Content         struct{ Text string }
			}
			if err := json.Unmarshal(r.body, &b); err != nil {
				t.Fatal(err)
			}
			mac := hmac.New(sha256.New, []byte(b.Timestamp+"\n"+secret))
			if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); b.Sign != want || b.MsgType != "text" {
				t.Errorf("Feishu sign %q, msg_type %q; want %q, text", b.Sign, b.MsgType, want)
			}
			if !strings.Contains(b.Content.Text, "needs approval") || !strings.Contains(b.Content.Text, "https://dealdesk.example.com/orders/") {
				t.Errorf("Feishu text %q", b.Content.Text)
			}
		}},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			t.Parallel()
			hook, got := sink(t, func(int) (int, string) { return 200, tc.answer })
			f := newFixture(t, nil)
			q, events := startQueueWith(t, f, Config{BaseURL: testBaseURL, Keys: testKeys})
			f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
			p := f.policy(t, hook.URL+"/robot/send?access_token=tok", tc.format)
			admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
			if err := notify.NewService(f.pool, testKeys, q).SetWebhookSecret(ctx, admin, p.ID, secrets.NewString(secret)); err != nil {
				t.Fatal(err)
			}
			f.submit(t)
			if ev := waitDone(t, events, 1)[0]; ev.Kind != river.EventKindJobCompleted {
				t.Fatalf("delivery %s: %+v", ev.Kind, ev.Job.Errors)
			}
			r := got()
			if len(r) != 1 {
				t.Fatalf("%d deliveries, want 1", len(r))
			}
			if r[0].query.Get("access_token") != "tok" {
				t.Errorf("the robot's own token was lost: %v", r[0].query)
			}
			tc.check(t, r[0])
		})
	}
	// A robot that answers HTTP 200 with an error code is a failed attempt.
	for _, f := range []orders.WebhookFormat{orders.WebhookDingTalk, orders.WebhookFeishu} {
		if err := checkAnswer(f, []byte(`{"errcode":310000,"errmsg":"sign not match","code":19021,"msg":"sign match fail"}`)); err == nil {
			t.Errorf("%s: a refusal passes as delivered", f)
		}
	}
}

// startQueueWith starts a queue with cfg, as startQueue does.
func startQueueWith(t *testing.T, f *fixture, cfg Config) (*Queue, <-chan *river.Event) {
	t.Helper()
	q, err := New(f.pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		unsubscribe()
		ctx, cancel := context.WithTimeout(context.Background(), guard)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q, events
}

// policyFor saves a policy of another product.
func (f *fixture) policyFor(t *testing.T, p orders.Product, url string, format orders.WebhookFormat) orders.Policy {
	t.Helper()
	pol, err := f.svc.SavePolicy(context.Background(), orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}, 0,
		orders.PolicyInput{Product: p, RequiredApprovers: 1, AutoSend: true, WebhookURL: url, WebhookFormat: format})
	if err != nil {
		t.Fatal(err)
	}
	return pol
}
