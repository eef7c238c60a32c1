package jobs

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dealdesk/internal/orders"
)

// The periodic pass, run by River on the job's clock: an approval valid a
// minute is warned of by e-mail to the requester and the approver once
// four fifths of it have passed, and once it is over the order returns for
// approval and both hear that too.
func TestApprovalPassWarnsAndReturnsByEmail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var clock atomic.Pointer[time.Time]
	start := time.Now()
	clock.Store(&start)
	now := func() time.Time { return *clock.Load() }
	mailbox := startSMTPSink(t)
	f := newFixture(t, nil)
	q, events := startQueueWith(t, f, Config{BaseURL: testBaseURL, Now: now,
		Mail: MailConfig{URL: mailbox.URL, From: "dealdesk@example.com"}})
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	q.UseRenewals(f.svc)
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	p, err := f.svc.SavePolicy(ctx, admin, 0, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{Name: "a minute", Condition: "true",
		Stages: []orders.Stage{{Count: 1}}, ValidForSeconds: 60}); err != nil {
		t.Fatal(err)
	}
	f.setEmail(t, f.requester.UserID, "alice@example.com")
	f.setEmail(t, f.approver.UserID, "bob@example.com")
	o := f.submit(t)
	o, err = f.svc.Approve(ctx, f.approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
	if err != nil || o.Status != orders.StatusApproved {
		t.Fatalf("approve: %s %v", o.Status, err)
	}
	waitDone(t, events, 2) // needs approval to bob, approved to alice

	pass := func(at time.Time) {
		t.Helper()
		clock.Store(&at)
		if _, err := q.client.Insert(ctx, ApprovalExpiryArgs{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	mailed := func(who, subject string) bool {
		for _, m := range mailbox.to(who) {
			if strings.Contains(m.Subject, subject) {
				return true
			}
		}
		return false
	}
	pass(o.StatusChangedAt.Add(50 * time.Second))
	waitDone(t, events, 2)
	for _, who := range []string{"alice@example.com", "bob@example.com"} {
		if !mailed(who, "approval expires soon") {
			t.Fatalf("%s was not told the approval expires soon: %+v", who, mailbox.to(who))
		}
	}
	pass(o.StatusChangedAt.Add(61 * time.Second))
	waitDone(t, events, 2)
	for _, who := range []string{"alice@example.com", "bob@example.com"} {
		if !mailed(who, "approval expired") {
			t.Fatalf("%s was not told the approval expired: %+v", who, mailbox.to(who))
		}
	}
	got, err := f.svc.Get(ctx, o.ID)
	if err != nil || got.Status != orders.StatusPendingApproval || got.ApprovalRound != 1 {
		t.Fatalf("after the pass the order is %s, round %d (%v)", got.Status, got.ApprovalRound, err)
	}
}
