package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
)

// guard bounds waits for River so a broken test fails instead of hanging.
// It is not an assertion on speed: a retry takes River's first backoff
// (about a second) plus a fetch.
const guard = 60 * time.Second

// testBaseURL is the console's public address in these tests; its
// trailing slash must not double the links' slashes.
const testBaseURL = "https://dealdesk.example.com/"

const tcbParams = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`

type fixture struct {
	pool      *pgxpool.Pool
	svc       *orders.Service
	requester orders.Actor
	approver  orders.Actor
	account   int64
}

func newFixture(t *testing.T, n orders.Notifier) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	f := &fixture{pool: pool, svc: orders.NewService(pool).WithHooks(orders.Hooks{Notify: n})}
	user := func(name string, roles ...string) orders.Actor {
		u, err := db.InsertUser(ctx, pool, db.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:],
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
		return orders.Actor{UserID: u.ID, Roles: roles}
	}
	f.requester, f.approver = user("alice", "requester"), user("bob", "approver")
	if err := pool.QueryRow(ctx, `INSERT INTO tencentcloud_accounts (name, key_source) VALUES ('main', 'environment') RETURNING id`).Scan(&f.account); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) policy(t *testing.T, url string, format orders.WebhookFormat) orders.Policy {
	t.Helper()
	p, err := f.svc.SavePolicy(context.Background(), orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}, 0,
		orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1, AutoSend: true, WebhookURL: url, WebhookFormat: format})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) submit(t *testing.T) orders.Order {
	t.Helper()
	ctx := context.Background()
	o, err := f.svc.Compose(ctx, f.requester, orders.Draft{Product: orders.ProductTCB, AccountID: f.account,
		Title: "CloudBase <staging> & tests", Justification: "for the team", Params: []byte(tcbParams)})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = f.svc.Submit(ctx, f.requester, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	return o
}

// startQueue starts a queue on the pool and subscribes to its job events
// before it works anything, so no event is missed.
func startQueue(t *testing.T, pool *pgxpool.Pool) (*Queue, <-chan *river.Event) {
	t.Helper()
	q, err := New(pool, Config{BaseURL: testBaseURL})
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

// next is the next job event, the periodic upkeep's aside (it runs on
// every queue's start; maintenance.go).
func next(t *testing.T, events <-chan *river.Event) *river.Event {
	t.Helper()
	for {
		select {
		case ev := <-events:
			// The periodic jobs that run at start (upkeep, renewals,
			// approval expiry) are
			// not what these tests wait for.
			if ev.Job != nil && (ev.Job.Kind == (MaintenanceArgs{}).Kind() || ev.Job.Kind == (RenewalsArgs{}).Kind() ||
				ev.Job.Kind == (ApprovalExpiryArgs{}).Kind()) {
				continue
			}
			return ev
		case <-time.After(guard):
			t.Fatal("no job event from River")
			return nil
		}
	}
}

func TestWebhookIsDeliveredAndRetriedOnFailure(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		if len(bodies) == 1 {
			http.Error(w, "slack is having a bad day", http.StatusInternalServerError)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(hook.Close)

	f := newFixture(t, nil)
	q, events := startQueue(t, f.pool)
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	f.policy(t, hook.URL+"/services/T000/B000/secret-token", orders.WebhookSlack)
	o := f.submit(t)

	failed := next(t, events)
	if failed.Kind != river.EventKindJobFailed || failed.Job.Attempt != 1 ||
		len(failed.Job.Errors) != 1 || !strings.Contains(failed.Job.Errors[0].Error, "500") {
		t.Fatalf("first event: %s, attempt %d, errors %+v; want a failed first attempt", failed.Kind, failed.Job.Attempt, failed.Job.Errors)
	}
	if strings.Contains(failed.Job.Errors[0].Error, "secret-token") {
		t.Errorf("the recorded error holds the webhook's token: %s", failed.Job.Errors[0].Error)
	}
	done := next(t, events)
	if done.Kind != river.EventKindJobCompleted || done.Job.Attempt != 2 {
		t.Fatalf("second event: %s, attempt %d; want completed on the second attempt", done.Kind, done.Job.Attempt)
	}
	// River's backoff, not an immediate loop: the retry waited at least
	// the first step of attempt⁴ seconds, less River's 10% jitter.
	if gap := (*done.Job.AttemptedAt).Sub(*failed.Job.AttemptedAt); gap < 900*time.Millisecond {
		t.Errorf("retried after %s, want River's backoff (1s ± 10%%)", gap)
	}

	mu.Lock()
	defer mu.Unlock()
	var msg struct{ Text string }
	if err := json.Unmarshal([]byte(bodies[1]), &msg); err != nil {
		t.Fatalf("body %q: %v", bodies[1], err)
	}
	want := fmt.Sprintf("Order #%d “CloudBase &lt;staging&gt; &amp; tests”", o.ID)
	if !strings.Contains(msg.Text, want) || !strings.Contains(msg.Text, "needs approval: 0 of 1") {
		t.Errorf("Slack text %q, want it to contain %q and the progress", msg.Text, want)
	}
	// The approvers' link: the order as they judge it, under the public address.
	if link := fmt.Sprintf("<https://dealdesk.example.com/orders/%d/approval|Open it: #%d>", o.ID, o.ID); !strings.Contains(msg.Text, link) {
		t.Errorf("Slack text %q, want the link %q", msg.Text, link)
	}
	// What it buys, in the summary's words, before who asked.
	if !strings.Contains(msg.Text, "— New purchase: CloudBase Plan") {
		t.Errorf("Slack text %q does not say what the order buys", msg.Text)
	}
	// The job's stored arguments name the policy, never its URL.
	var args string
	if err := f.pool.QueryRow(context.Background(), `SELECT args::text FROM river_job WHERE id = $1`, done.Job.ID).Scan(&args); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(args, "secret-token") || strings.Contains(args, hook.URL) {
		t.Errorf("job args hold the webhook URL: %s", args)
	}
}

func TestAStuckWebhookNeverBlocksTheWorkflow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	q, _ := startQueue(t, f.pool)
	arrived, release := make(chan struct{}, 10), make(chan struct{})
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	// Cleanups run last-in first-out: release the handler, close the
	// server, then stop the queue (which waits for the delivery).
	t.Cleanup(hook.Close)
	t.Cleanup(func() { close(release) })
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	f.policy(t, hook.URL, orders.WebhookGeneric)
	o := f.submit(t)
	<-arrived // the needs-approval notice is now stuck in delivery

	// The decision does not wait for it.
	got, err := f.svc.Approve(context.Background(), f.approver, o.ID, o.Version, o.ParamsSHA256, "fine", orders.ApproveOptions{})
	if err != nil || got.Status != orders.StatusApproved {
		t.Fatalf("approve while a webhook hangs: %v, %s", err, got.Status)
	}
	var queued int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'webhook_notice'`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 2 {
		t.Fatalf("%d notices queued, want needs-approval and approved", queued)
	}
}

func TestWebhookOfADeletedPolicyIsDroppedNotRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, nil)
	p := f.policy(t, "https://hooks.example.com/x", orders.WebhookGeneric)
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	if err := f.svc.DeletePolicy(ctx, admin, p.ID); err != nil {
		t.Fatal(err)
	}
	w := &webhookWorker{pool: f.pool, http: webhookClient(), log: slog.New(slog.DiscardHandler)}
	err := w.Work(ctx, &river.Job[WebhookArgs]{JobRow: &rivertype.JobRow{Attempt: 1},
		Args: WebhookArgs{Notice: orders.Notice{Event: orders.NoticeApproved, PolicyID: p.ID, OrderID: 1}}})
	if _, ok := errors.AsType[*river.JobCancelError](err); !ok {
		t.Fatalf("err = %v, want a cancel (no retries)", err)
	}
}

func TestWebhookBodies(t *testing.T) {
	t.Parallel()
	n := orders.Notice{Event: orders.NoticeRejected, OrderID: 7, Version: 2, ParamsSHA256: "ab", Product: orders.ProductWAF,
		Title: "WAF for shop", AccountName: "main", RequesterName: "Alice", ActorName: "Bob", Comment: "too big", Required: 2}

	link := NewLinks(testBaseURL).For(n)
	if link != "https://dealdesk.example.com/orders/7" {
		t.Fatalf("link %q", link)
	}
	m := message{Notice: n, Link: link}

	b, _ := webhookBody(orders.WebhookWeCom, m)
	var wecom struct {
		MsgType  string `json:"msgtype"`
		Markdown struct{ Content string }
	}
	if err := json.Unmarshal(b, &wecom); err != nil || wecom.MsgType != "markdown" ||
		!strings.Contains(wecom.Markdown.Content, "rejected by Bob: too big") ||
		!strings.Contains(wecom.Markdown.Content, "[Open it: #7](https://dealdesk.example.com/orders/7)") {
		t.Errorf("WeCom body %s (%v)", b, err)
	}

	b, _ = webhookBody(orders.WebhookGeneric, m)
	var generic genericBody
	if err := json.Unmarshal(b, &generic); err != nil || generic.Event != "rejected" || generic.Order.ID != 7 ||
		generic.Order.Version != 2 || generic.Actor != "Bob" || generic.Comment != "too big" ||
		generic.URL != link || !strings.HasSuffix(generic.Text, "\nOpen it: "+link) {
		t.Errorf("generic body %s (%v)", b, err)
	}

	// Without CONSOLE_BASE_URL no message carries a link, not even a relative one.
	if l := NewLinks("").For(n); l != "" {
		t.Errorf("link without a base: %q", l)
	}
	for _, f := range orders.WebhookFormats {
		b, _ := webhookBody(f, message{Notice: n})
		if strings.Contains(string(b), "/orders/") || strings.Contains(string(b), "Open it") {
			t.Errorf("%s body without a base URL has a link: %s", f, b)
		}
	}

	if _, err := webhookBody("teams", m); err == nil {
		t.Error("an unknown format rendered")
	}
	if err := checkAnswer(orders.WebhookWeCom, []byte(`{"errcode":93000,"errmsg":"invalid webhook url"}`)); err == nil {
		t.Error("WeCom's errcode 93000 passed as delivered")
	}
	if err := checkAnswer(orders.WebhookWeCom, []byte(`{"errcode":0,"errmsg":"ok"}`)); err != nil {
		t.Errorf("WeCom ok: %v", err)
	}
}

// The outcomes read as what they are: an unknown one loudly, a failure with
// the catalog's explanation and code, a proposal with its deals.
func TestOutcomeTexts(t *testing.T) {
	t.Parallel()
	base := orders.Notice{OrderID: 9, Version: 1, Product: orders.ProductWAF, Title: "WAF", AccountName: "main", RequesterName: "Alice"}
	cases := []struct {
		tweak func(*orders.Notice)
		want  []string
	}{
		{func(n *orders.Notice) {
			n.Event, n.DealNames, n.InstanceIDs = orders.NoticeSucceeded, []string{"D1"}, []string{"waf_1"}
		},
			[]string{"was bought. Deals: D1. Instances: waf_1."}},
		{func(n *orders.Notice) {
			n.Event, n.Explanation, n.ErrorCode = orders.NoticeFailed, "The balance is too low.", "FailedOperation.BalanceInsufficient"
		}, []string{"failed: nothing was bought. The balance is too low. (FailedOperation.BalanceInsufficient)"}},
		{func(n *orders.Notice) { n.Event, n.Explanation = orders.NoticeUnknown, "No answer." },
			[]string{"UNKNOWN OUTCOME", "settle it on its page", "No answer."}},
		{func(n *orders.Notice) { n.Event = orders.NoticeAwaitingPayment }, []string{"awaits payment"}},
		{func(n *orders.Notice) {
			n.Event, n.Proposal, n.DealNames = orders.NoticeProposal, "bought", []string{"D2"}
		},
			[]string{"the bill shows it was bought. Deals: D2."}},
		{func(n *orders.Notice) { n.Event, n.Proposal = orders.NoticeProposal, "not_bought" }, []string{"was not bought"}},
	}
	for _, c := range cases {
		n := base
		c.tweak(&n)
		text := withLink(message{Notice: n, Link: NewLinks(testBaseURL).For(n)})
		for _, w := range append(c.want, "https://dealdesk.example.com/orders/9") {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q lacks %q", n.Event, text, w)
			}
		}
	}
}
