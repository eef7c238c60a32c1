package jobs

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
)

// A person's e-mail speaks the language they chose on their profile:
// Alice reads Chinese, Bob chose none and reads English. The link is the
// same in both.
func TestEmailIsWrittenInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	// What the console registers at start-up (serve): the domain's English.
	if err := i18n.AddEnglish("", fault.Catalog); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mailbox := startSMTPSink(t)
	f := newFixture(t, nil)
	q, events := startQueueWith(t, f, Config{BaseURL: testBaseURL, Mail: MailConfig{URL: mailbox.URL, From: "dealdesk@example.com"}})
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	f.setEmail(t, f.requester.UserID, "alice@example.com")
	f.setEmail(t, f.approver.UserID, "bob@example.com")
	if _, err := f.pool.Exec(ctx, `UPDATE users SET language = 'zh-CN' WHERE id = $1`, f.requester.UserID); err != nil {
		t.Fatal(err)
	}

	o := f.submit(t)
	if _, err := f.svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "fine", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, ev := range waitDone(t, events, 2) {
		if ev.Kind != river.EventKindJobCompleted {
			t.Fatalf("job %s %s: %+v", ev.Job.Kind, ev.Kind, ev.Job.Errors)
		}
	}

	page := fmt.Sprintf("https://dealdesk.example.com/orders/%d", o.ID)
	alice := mailbox.to("alice@example.com")
	wantTitle := fmt.Sprintf("Dealdesk：订单 #%d 已批准", o.ID)
	if len(alice) != 1 || alice[0].Subject != wantTitle || !strings.Contains(alice[0].Body, "批准") || !strings.Contains(alice[0].Body, page) {
		t.Errorf("alice got %+v, want one mail titled %q in Chinese with %s", alice, wantTitle, page)
	}
	bob := mailbox.to("bob@example.com")
	if len(bob) != 1 || !strings.Contains(bob[0].Subject, "needs approval") || strings.ContainsAny(bob[0].Subject+bob[0].Body, "批准订单") {
		t.Errorf("bob got %+v, want one needs-approval mail in English", bob)
	}
}
