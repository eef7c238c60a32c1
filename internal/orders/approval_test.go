package orders_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

func TestSelfApprovalIsRefusedWhateverThePolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1, AutoSend: true})
	// She may compose and approve, just never her own orders.
	both := orderstest.NewUser(t, pool, "requester", "approver")
	o := submitted(t, svc, both, orders.ProductTCB, acct)

	if _, err := svc.Approve(ctx, both, o.ID, o.Version, o.ParamsSHA256, "looks fine to me", orders.ApproveOptions{}); kindOf(err) != fault.Refused {
		t.Fatalf("self-approval: %v, want forbidden", err)
	}
	if _, err := svc.Reject(ctx, both, o.ID, o.Version, o.ParamsSHA256, "changed my mind"); kindOf(err) != fault.Refused {
		t.Fatalf("self-rejection: %v, want forbidden", err)
	}
	st, err := svc.ApprovalState(ctx, both, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CanDecide || st.Approvals != 0 || len(st.Decisions) != 0 || st.Order.Status != orders.StatusPendingApproval {
		t.Fatalf("after refused self-approval: %+v", st)
	}
	// Without the approver role, nobody approves anything.
	other := orderstest.NewUser(t, pool, "requester")
	if _, err := svc.Approve(ctx, other, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); kindOf(err) != fault.Refused {
		t.Fatalf("approval by a non-approver: %v, want forbidden", err)
	}
}

func TestApprovalOfAStaleVersionIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")
	v1 := submitted(t, svc, alice, orders.ProductTCB, acct)

	// Bob opens version 1; Alice edits and resubmits meanwhile.
	d := orderstest.Draft(orders.ProductTCB, acct)
	d.Params = []byte(strings.Replace(orderstest.TCBParams, `"TimeSpan":1`, `"TimeSpan":12`, 1))
	v2, err := svc.Update(ctx, alice, v1.ID, v1.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if v2, err = svc.Submit(ctx, alice, v2.ID, v2.Version); err != nil {
		t.Fatal(err)
	}

	_, err = svc.Approve(ctx, bob, v1.ID, v1.Version, v1.ParamsSHA256, "", orders.ApproveOptions{})
	if !kindOf(err).Conflicting() || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("approving version 1 of a version-2 order: %v, want the order-changed conflict", err)
	}
	// The right version with another hash is as stale.
	if _, err := svc.Approve(ctx, bob, v2.ID, v2.Version, v1.ParamsSHA256, "", orders.ApproveOptions{}); !kindOf(err).Conflicting() {
		t.Fatalf("approving version 2 with version 1's hash: %v", err)
	}
	// Bob looks again and approves what is there now.
	got, err := svc.Approve(ctx, bob, v2.ID, v2.Version, v2.ParamsSHA256, "12 months, fine", orders.ApproveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != orders.StatusApproved || got.ParamsSHA256 != v2.ParamsSHA256 {
		t.Fatalf("after approving the current version: %+v", got)
	}
}

func TestEditVoidsApprovalsAndShowsWhatChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 2, AutoSend: true})
	alice := orderstest.NewUser(t, pool, "requester")
	bob, carol := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	v1 := submitted(t, svc, alice, orders.ProductTCB, acct)

	if _, err := svc.Approve(ctx, bob, v1.ID, v1.Version, v1.ParamsSHA256, "ok", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	d := orderstest.Draft(orders.ProductTCB, acct)
	d.Title = "Buy it for a year"
	d.Params = []byte(strings.Replace(orderstest.TCBParams, `"TimeSpan":1`, `"TimeSpan":12`, 1))
	v2, err := svc.Update(ctx, alice, v1.ID, v1.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Status != orders.StatusDraft || v2.Version != v1.Version+1 {
		t.Fatalf("edited pending order: %+v", v2)
	}
	st, _ := svc.ApprovalState(ctx, bob, v2.ID)
	if st.Approvals != 0 || len(st.Decisions) != 1 || st.Decisions[0].Current {
		t.Fatalf("bob's approval of version 1 still counts: %+v", st)
	}
	if _, err := svc.Submit(ctx, alice, v2.ID, v2.Version); err != nil {
		t.Fatal(err)
	}

	// Carol approves version 2: one of two, because bob's was for version 1.
	got, err := svc.Approve(ctx, carol, v2.ID, v2.Version, v2.ParamsSHA256, "", orders.ApproveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != orders.StatusPendingApproval {
		t.Fatalf("a voided approval was counted: order is %s", got.Status)
	}

	// Bob sees what changed since the version he approved.
	st, err = svc.ApprovalState(ctx, bob, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.CanDecide || st.Baseline != 1 || !st.BaselineIsMine || st.Approvals != 1 {
		t.Fatalf("bob's view: %+v", st)
	}
	want := []orders.Change{{Field: "Title", Before: "Buy it", After: "Buy it for a year"}, {Field: "TimeSpan", Before: "1", After: "12"}}
	if !slices.Equal(st.Changes, want) {
		t.Fatalf("changes = %+v, want %+v", st.Changes, want)
	}
	if got, err = svc.Approve(ctx, bob, v2.ID, v2.Version, v2.ParamsSHA256, "still ok", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got.Status != orders.StatusApproved {
		t.Fatalf("two approvals of version 2: order is %s", got.Status)
	}
	if s := sends.sends(t, v2.ID); len(s) != 1 || s[0].Version != v2.Version || s[0].Hash != v2.ParamsSHA256 {
		t.Fatalf("sends = %+v, want one of version %d", s, v2.Version)
	}
}

func TestEditingAnApprovedOrderTakesItBackToDraft(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, alice, orders.ProductTCB, acct)
	if o, _ = svc.Approve(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); o.Status != orders.StatusApproved {
		t.Fatalf("order is %s", o.Status)
	}
	d := orderstest.Draft(orders.ProductTCB, acct)
	d.Justification = "Another reason"
	o2, err := svc.Update(ctx, alice, o.ID, o.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := svc.ApprovalState(ctx, alice, o2.ID)
	if o2.Status != orders.StatusDraft || st.Approvals != 0 || !st.CanSubmit {
		t.Fatalf("edited approved order: %s, %d approvals", o2.Status, st.Approvals)
	}
}

func TestPoliciesCountOnlyDistinctApprovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductWAF, RequiredApprovers: 3, AutoSend: true})
	alice := orderstest.NewUser(t, pool, "requester")
	a1, a2, a3, a4 := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, alice, orders.ProductWAF, acct)

	approve := func(who orders.Actor) (orders.Order, error) {
		return svc.Approve(ctx, who, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
	}
	if _, err := approve(a1); err != nil {
		t.Fatal(err)
	}
	// The same person twice is still one approver.
	if _, err := approve(a1); !kindOf(err).Conflicting() {
		t.Fatalf("second approval by the same person: %v", err)
	}
	if got, err := approve(a2); err != nil || got.Status != orders.StatusPendingApproval {
		t.Fatalf("two of three: %v, %s", err, got.Status)
	}
	st, _ := svc.ApprovalState(ctx, a4, o.ID)
	if st.Approvals != 2 || st.Policy.RequiredApprovers != 3 || !st.CanDecide {
		t.Fatalf("progress: %d of %d", st.Approvals, st.Policy.RequiredApprovers)
	}
	got, err := approve(a3)
	if err != nil || got.Status != orders.StatusApproved {
		t.Fatalf("three of three: %v, %s", err, got.Status)
	}
	// Once approved, a fourth approval has nothing to decide.
	if _, err := approve(a4); !kindOf(err).Conflicting() {
		t.Fatalf("approval after approved: %v", err)
	}
	if s := sends.sends(t, o.ID); len(s) != 1 {
		t.Fatalf("sends = %+v, want exactly one", s)
	}
	want := []string{"order.created", "order.submitted", "order.approval_given", "order.approval_given",
		"order.approval_given", "order.approved"}
	if got := actions(t, pool, o); !slices.Equal(got, want) {
		t.Fatalf("audit = %v, want %v", got, want)
	}
}

func TestRejectNeedsAReason(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, alice, orders.ProductBilling, acct)

	_, err := svc.Reject(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "   ")
	if fe, ok := fault.AsFields(err); !ok || fe["comment"].Key == "" {
		t.Fatalf("reject without a reason: %v", err)
	}
	got, err := svc.Reject(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "Use the shared firewall instead")
	if err != nil || got.Status != orders.StatusRejected {
		t.Fatalf("reject: %v, %s", err, got.Status)
	}
	events, _ := db.AuditEventsFor(ctx, pool, o.Subject())
	last := events[len(events)-1]
	if last.Action != "order.rejected" || last.Details["comment"] != "Use the shared firewall instead" {
		t.Fatalf("audit: %+v", last)
	}
	st, _ := svc.ApprovalState(ctx, alice, o.ID)
	if len(st.Decisions) != 1 || st.Decisions[0].Decision != orders.DecisionReject || st.Decisions[0].Comment == "" ||
		st.CanSubmit || st.CanCancel || st.CanWithdraw {
		t.Fatalf("state after rejection: %+v", st)
	}
}

func TestSubmitWithdrawCancelRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	alice, mallory := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "requester")
	admin := orderstest.NewUser(t, pool, "admin")
	o, _ := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, acct))

	if _, err := svc.Submit(ctx, mallory, o.ID, o.Version); kindOf(err) != fault.Refused {
		t.Fatalf("someone else submits: %v", err)
	}
	if _, err := svc.Submit(ctx, alice, o.ID, o.Version+1); !kindOf(err).Conflicting() {
		t.Fatalf("submit a version never seen: %v", err)
	}
	if _, err := svc.Withdraw(ctx, alice, o.ID); !kindOf(err).Conflicting() {
		t.Fatalf("withdraw a draft: %v", err)
	}
	if _, err := svc.Submit(ctx, alice, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Submit(ctx, alice, o.ID, o.Version); !kindOf(err).Conflicting() {
		t.Fatalf("submit twice: %v", err)
	}
	if _, err := svc.Withdraw(ctx, mallory, o.ID); kindOf(err) != fault.Refused {
		t.Fatalf("someone else withdraws: %v", err)
	}
	if got, err := svc.Withdraw(ctx, alice, o.ID); err != nil || got.Status != orders.StatusDraft || got.Version != o.Version {
		t.Fatalf("withdraw: %v, %+v", err, got)
	}
	if _, err := svc.Cancel(ctx, mallory, o.ID, ""); kindOf(err) != fault.Refused {
		t.Fatalf("someone else cancels: %v", err)
	}
	if got, err := svc.Cancel(ctx, admin, o.ID, "duplicate of #12"); err != nil || got.Status != orders.StatusCancelled {
		t.Fatalf("admin cancels: %v, %+v", err, got)
	}
	if _, err := svc.Cancel(ctx, alice, o.ID, ""); !kindOf(err).Conflicting() {
		t.Fatalf("cancel twice: %v", err)
	}
	if _, err := svc.Submit(ctx, alice, 1<<40, 1); kindOf(err) != fault.NotFound {
		t.Fatalf("submit a missing order: %v", err)
	}
	want := []string{"order.created", "order.submitted", "order.withdrawn", "order.cancelled"}
	if got := actions(t, pool, o); !slices.Equal(got, want) {
		t.Fatalf("audit = %v, want %v", got, want)
	}
}

func TestAutoSendOffApprovesWithoutQueueingTheSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, AccountID: acct, RequiredApprovers: 1, AutoSend: false})
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, alice, orders.ProductTCB, acct)
	if got, err := svc.Approve(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil || got.Status != orders.StatusApproved {
		t.Fatalf("approve: %v, %s", err, got.Status)
	}
	if s := sends.sends(t, o.ID); len(s) != 0 {
		t.Fatalf("auto-send off queued %+v", s)
	}
}

func TestAFailedSendQueueUndoesTheApproval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	sends.fail = errors.New("queue unavailable")
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, alice, orders.ProductTCB, acct)
	if _, err := svc.Approve(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err == nil {
		t.Fatal("approval succeeded although its send could not be queued")
	}
	// Approved without a queued send would be an order nobody sends: the
	// whole decision rolled back instead, and bob can try again.
	st, _ := svc.ApprovalState(ctx, bob, o.ID)
	if st.Order.Status != orders.StatusPendingApproval || len(st.Decisions) != 0 || !st.CanDecide {
		t.Fatalf("after a failed queue: %+v", st)
	}
}

func TestNotificationsAreQueuedForPoliciesWithAWebhook(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	notices := &noticeLog{}
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Notify: notices})
	acct, quiet := orderstest.NewAccount(t, pool), orderstest.NewAccount(t, pool)
	p := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, AccountID: acct, RequiredApprovers: 1,
		AutoSend: true, WebhookURL: "https://hooks.example.com/x", WebhookFormat: orders.WebhookSlack})
	alice, bob := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "approver")

	o := submitted(t, svc, alice, orders.ProductTCB, acct)
	if _, err := svc.Approve(ctx, bob, o.ID, o.Version, o.ParamsSHA256, "go", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	r := submitted(t, svc, alice, orders.ProductTCB, acct)
	if _, err := svc.Reject(ctx, bob, r.ID, r.Version, r.ParamsSHA256, "no"); err != nil {
		t.Fatal(err)
	}
	// An account without a webhook notifies nobody.
	q := submitted(t, svc, alice, orders.ProductTCB, quiet)
	if _, err := svc.Approve(ctx, bob, q.ID, q.Version, q.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}

	want := []orders.NoticeEvent{orders.NoticeNeedsApproval, orders.NoticeApproved, orders.NoticeNeedsApproval, orders.NoticeRejected}
	if got := notices.events(); !slices.Equal(got, want) {
		t.Fatalf("notices = %v, want %v", got, want)
	}
	n := notices.notices[1]
	if n.PolicyID != p.ID || n.OrderID != o.ID || n.ActorName != "Test User" || n.Approvals != 1 || n.Required != 1 ||
		n.Comment != "go" || n.AccountName == "" || n.Title != "Buy it" {
		t.Fatalf("approved notice: %+v", n)
	}
}
