package jobs

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/riverqueue/river"

	"dealdesk/internal/db"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
)

// Each event reaches each configured channel once, with its link: the
// policy's webhook and the e-mail of each person it concerns who has not
// turned it off. The webhook fails once and is retried on its own; the
// e-mails and the decision never wait for it. The delivery log has a row
// per message and channel with its attempts, and an admin's resend sends
// one again.
func TestEachEventReachesEachChannelOnceAndAFailingOneIsRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The needs-approval webhook fails its first call, whichever of the two
	// webhooks reaches the sink first.
	var mu sync.Mutex
	var seen func() []received
	failed := false
	hook, got := sink(t, func(n int) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if !failed && strings.Contains(string(seen()[n-1].body), `"event":"needs_approval"`) {
			failed = true
			return 500, "down for a moment"
		}
		return 200, "ok"
	})
	mu.Lock()
	seen = got
	mu.Unlock()
	mailbox := startSMTPSink(t)
	f := newFixture(t, nil)
	q, events := startQueueWith(t, f, Config{BaseURL: testBaseURL, Mail: MailConfig{URL: mailbox.URL, From: "dealdesk@example.com"}})
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	f.policy(t, hook.URL, orders.WebhookGeneric)
	// carol approves too but wants no "needs approval" mail; dave has no
	// address; erin is disabled.
	carol := f.user(t, "carol", "carol@example.com", "approver")
	f.user(t, "dave", "", "approver")
	erin := f.user(t, "erin", "erin@example.com", "approver")
	if _, err := f.pool.Exec(ctx, `UPDATE users SET disabled = true WHERE id = $1`, erin); err != nil {
		t.Fatal(err)
	}
	f.setEmail(t, f.requester.UserID, "alice@example.com")
	f.setEmail(t, f.approver.UserID, "bob@example.com")
	ns := notify.NewService(f.pool, nil, q)
	if err := ns.SavePreferences(ctx, orders.Actor{UserID: carol}, map[orders.NoticeEvent]string{orders.NoticeNeedsApproval: notify.ChannelNone}); err != nil {
		t.Fatal(err)
	}

	o := f.submit(t)
	// The decision does not wait for the failing webhook.
	if _, err := f.svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "fine", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	// needs approval: webhook (after a retry) and bob; approved: webhook and alice.
	for _, ev := range waitDone(t, events, 4) {
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s %s: %+v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
		}
	}

	approval := fmt.Sprintf("https://dealdesk.example.com/orders/%d/approval", o.ID)
	page := fmt.Sprintf("https://dealdesk.example.com/orders/%d", o.ID)
	bob := mailbox.to("bob@example.com")
	if len(bob) != 1 || !strings.Contains(bob[0].Subject, "needs approval") || !strings.Contains(bob[0].Body, approval) {
		t.Errorf("bob got %+v, want one needs-approval mail with %s", bob, approval)
	}
	alice := mailbox.to("alice@example.com")
	if len(alice) != 1 || !strings.Contains(alice[0].Subject, "approved") || !strings.Contains(alice[0].Body, page) ||
		!strings.Contains(alice[0].Body, "was approved by Bob") {
		t.Errorf("alice got %+v, want one approved mail with %s", alice, page)
	}
	if alice[0].From != "dealdesk@example.com" {
		t.Errorf("from %q", alice[0].From)
	}
	for _, who := range []string{"carol@example.com", "erin@example.com"} {
		if m := mailbox.to(who); len(m) != 0 {
			t.Errorf("%s got %d mails, want none", who, len(m))
		}
	}
	if n := len(got()); n != 3 {
		t.Errorf("the webhook was called %d times, want 3 (needs approval twice, approved once)", n)
	}

	var rows []struct {
		id       int64
		event    string
		channel  string
		status   string
		attempts int
		lastErr  string
	}
	r, err := f.pool.Query(ctx, `SELECT id, event, channel, status, attempts, last_error FROM deliveries WHERE order_id = $1 ORDER BY id`, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var x struct {
			id       int64
			event    string
			channel  string
			status   string
			attempts int
			lastErr  string
		}
		if err := r.Scan(&x.id, &x.event, &x.channel, &x.status, &x.attempts, &x.lastErr); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, x)
	}
	if len(rows) != 4 {
		t.Fatalf("%d deliveries logged, want 4: %+v", len(rows), rows)
	}
	for _, x := range rows {
		if x.status != db.DeliveryDelivered {
			t.Errorf("delivery %d (%s %s) is %s", x.id, x.event, x.channel, x.status)
		}
		want := 1
		if x.event == "needs_approval" && x.channel == "webhook" {
			want = 2
			// The kind and status only: never the error's text, which
			// names the receiver.
			if x.lastErr != "http_status:500" {
				t.Errorf("the retried webhook's last error %q, want http_status:500", x.lastErr)
			}
		}
		if x.attempts != want {
			t.Errorf("delivery %d (%s %s): %d attempts, want %d", x.id, x.event, x.channel, x.attempts, want)
		}
	}

	// An admin resends alice's mail: it goes again, counted on the same row,
	// with its audit event.
	var aliceMail int64
	for _, x := range rows {
		if x.channel == "email" && x.event == "approved" {
			aliceMail = x.id
		}
	}
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	if err := ns.Resend(ctx, orders.Actor{UserID: f.requester.UserID, Roles: []string{"requester"}}, aliceMail); err == nil {
		t.Error("a requester resent a delivery")
	}
	if err := ns.Resend(ctx, admin, aliceMail); err != nil {
		t.Fatal(err)
	}
	waitDone(t, events, 1)
	if n := len(mailbox.to("alice@example.com")); n != 2 {
		t.Errorf("alice has %d mails after the resend, want 2", n)
	}
	var attempts, audited int
	if err := f.pool.QueryRow(ctx, `SELECT attempts, (SELECT count(*) FROM audit_events WHERE action = 'delivery.resent' AND subject = 'delivery:' || $1::bigint)
		FROM deliveries WHERE id = $1`, aliceMail).Scan(&attempts, &audited); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 || audited != 1 {
		t.Errorf("after the resend: %d attempts, %d audit events; want 2 and 1", attempts, audited)
	}
}

// user adds a user with an address and roles.
func (f *fixture) user(t *testing.T, name, email string, roles ...string) int64 {
	t.Helper()
	u, err := db.InsertUser(context.Background(), f.pool, db.NewUser{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:],
		Email: email, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (f *fixture) setEmail(t *testing.T, id int64, email string) {
	t.Helper()
	if _, err := f.pool.Exec(context.Background(), `UPDATE users SET email = $2 WHERE id = $1`, id, email); err != nil {
		t.Fatal(err)
	}
}
