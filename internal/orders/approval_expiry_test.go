package orders_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// peopleNotices is a noticeLog that tells people, so notices are built
// under a policy without a webhook.
type peopleNotices struct{ noticeLog }

func (*peopleNotices) NotifiesPeople() bool { return true }

func auditCount(t *testing.T, pool db.Pool, action, subject string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1 AND subject = $2`,
		action, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An order approved under a rule whose approvals stay valid a minute:
// the pass warns of it once when four fifths of the minute have passed,
// returns it for approval once the minute is over (same version, a new
// round in which the old approval no longer counts, the page told why),
// and the same approver may then approve it again.
func TestApprovalExpiryReturnsTheOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	notices := &peopleNotices{}
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Notify: notices})
	o, requester, approver := orderstest.ApprovedFor(t, pool, svc, orders.ProductTCB, 60)
	approvedAt := o.StatusChangedAt

	pass := func(at time.Time) orders.ExpiryPass {
		t.Helper()
		got, err := svc.ExpireApprovals(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := pass(approvedAt.Add(30 * time.Second)); len(got.Returned)+len(got.Warned) != 0 {
		t.Fatalf("half way through the minute: %+v", got)
	}
	if got := pass(approvedAt.Add(50 * time.Second)); !slices.Equal(got.Warned, []int64{o.ID}) || len(got.Returned) != 0 {
		t.Fatalf("at 50 s: %+v; want a warning", got)
	}
	if got := pass(approvedAt.Add(55 * time.Second)); len(got.Warned) != 0 {
		t.Fatalf("warned twice: %+v", got)
	}
	if got := pass(approvedAt.Add(62 * time.Second)); !slices.Equal(got.Returned, []int64{o.ID}) {
		t.Fatalf("after the minute: %+v; want the order returned", got)
	}
	if got := pass(approvedAt.Add(90 * time.Second)); len(got.Returned)+len(got.Warned) != 0 {
		t.Fatalf("a pending order judged again: %+v", got)
	}
	if ev := notices.events(); !slices.Equal(ev, []orders.NoticeEvent{orders.NoticeNeedsApproval, orders.NoticeApproved, orders.NoticeApprovalExpiring, orders.NoticeApprovalExpired}) {
		t.Fatalf("notices %v", ev)
	}
	for _, n := range notices.notices[2:] {
		if n.RequesterID != requester.UserID || !slices.Equal(n.ApproverIDs, []int64{approver.UserID}) || n.Expires == "" {
			t.Fatalf("notice %+v: want the requester and the approver, and when", n)
		}
	}
	if auditCount(t, pool, db.ActionOrderApprovalExpiring, o.Subject()) != 1 || auditCount(t, pool, db.ActionOrderApprovalExpired, o.Subject()) != 1 {
		t.Fatal("the warning and the return are each one audit event")
	}

	st, err := svc.ApprovalState(ctx, approver, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := st.Order
	when, expired := got.ApprovalExpired()
	if got.Status != orders.StatusPendingApproval || got.Version != o.Version || got.ApprovalRound != 1 || !expired ||
		when.Sub(approvedAt) < 59*time.Second || when.Sub(approvedAt) > 61*time.Second {
		t.Fatalf("returned order: %s v%d round %d, expired %v at %s", got.Status, got.Version, got.ApprovalRound, expired, when)
	}
	if st.Approvals != 0 || !st.CanDecide || st.Mine != nil {
		t.Fatalf("after expiry: %d approvals count, approver can decide %v", st.Approvals, st.CanDecide)
	}
	if items, _ := svc.Inbox(ctx, approver, 10); len(items) != 1 {
		t.Fatalf("the approver's inbox holds %d orders", len(items))
	}
	if n, _ := svc.WaitingCount(ctx, approver); n != 1 {
		t.Fatalf("the approver's badge counts %d", n)
	}
	again, err := svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
	if err != nil || again.Status != orders.StatusApproved {
		t.Fatalf("approving again: %s %v", again.Status, err)
	}
	// A new round: the warning is due again for it.
	if got := pass(again.StatusChangedAt.Add(50 * time.Second)); !slices.Equal(got.Warned, []int64{o.ID}) {
		t.Fatalf("the new round's warning: %+v", got)
	}
}

// approvalExpiry through the pass: a two-stage rule expires with the
// first stage's approval, not the last one's.
func TestApprovalExpiryCountsFromTheOldestNeededApproval(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	plat, fin := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	platform := group(t, pool, svc, admin, "platform", plat)
	finance := group(t, pool, svc, admin, "finance", fin)
	twoStages(t, pool, svc, admin, platform, finance, orders.RuleInput{ValidForSeconds: 3600})
	o := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))
	if _, err := svc.Approve(ctx, plat, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	var first time.Time
	if err := pool.QueryRow(ctx, `SELECT decided_at FROM approvals WHERE order_id = $1`, o.ID).Scan(&first); err != nil {
		t.Fatal(err)
	}
	// The second stage decides later, by the service's clock; the
	// approval's validity is counted from each decision's own time.
	if _, err := svc.Approve(ctx, fin, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.ExpireApprovals(ctx, first.Add(time.Hour))
	if err != nil || !slices.Equal(got.Returned, []int64{o.ID}) {
		t.Fatalf("an hour after the first stage: %+v %v", got, err)
	}
	st, _ := svc.ApprovalState(ctx, plat, o.ID)
	if st.CurrentStage != 0 || !st.CanDecide {
		t.Fatalf("after expiry the first stage waits again: stage %d, platform may decide %v", st.CurrentStage, st.CanDecide)
	}
}
