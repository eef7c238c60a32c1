package orders_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// race starts every attempt at once and returns their errors. The start
// channel lines the goroutines up so they reach Postgres together.
func race(n int, attempt func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = attempt(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

func TestConcurrentApproversApproveOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductBilling, RequiredApprovers: 3, AutoSend: true})
	alice := orderstest.NewUser(t, pool, "requester")
	approvers := make([]orders.Actor, 20)
	for i := range approvers {
		approvers[i] = orderstest.NewUser(t, pool, "approver")
	}
	o := submitted(t, svc, alice, orders.ProductBilling, acct)

	errs := race(len(approvers), func(i int) error {
		_, err := svc.Approve(ctx, approvers[i], o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
		return err
	})
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !kindOf(err).Conflicting():
			t.Errorf("an approval failed with something other than a conflict: %v", err)
		}
	}
	// Without the row lock each of the first approvers counts only itself
	// and nobody ever sees three: the order would stay pending forever.
	st, _ := svc.ApprovalState(ctx, alice, o.ID)
	if ok != 3 || st.Order.Status != orders.StatusApproved || st.Approvals != 3 || len(st.Decisions) != 3 {
		t.Fatalf("%d approvals accepted, order %s with %d approvals and %d decisions; want exactly 3 and approved",
			ok, st.Order.Status, st.Approvals, len(st.Decisions))
	}
	if s := sends.sends(t, o.ID); len(s) != 1 {
		t.Fatalf("%d sends queued, want exactly one", len(s))
	}
}

// TestConcurrentApproveEditCancel races approvals, edits and cancels on one
// order (20 attempts at once, for several orders) and then checks that the
// order is in one valid state and that its audit trail, replayed, tells a
// story the state machine allows and ends where the order is.
func TestConcurrentApproveEditCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	acct := orderstest.NewAccount(t, pool)
	const required = 2
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: required, AutoSend: true})
	alice, admin := orderstest.NewUser(t, pool, "requester"), orderstest.NewUser(t, pool, "admin")
	approvers := make([]orders.Actor, 6)
	for i := range approvers {
		approvers[i] = orderstest.NewUser(t, pool, "approver")
	}

	// Each mix has one final state whatever the interleaving: the first
	// cancel always wins (every state before sending may be cancelled), and
	// without one the first edit always wins (pending and approved orders
	// are editable). How they got there is what the race varies.
	mixes := []struct {
		name  string
		kind  func(i int) string
		final orders.Status
	}{
		{"approve, edit and cancel", func(i int) string {
			return map[bool]string{true: "cancel", false: map[bool]string{true: "edit", false: "approve"}[i%5 == 1]}[i%7 == 3]
		}, orders.StatusCancelled},
		{"approve and edit", func(i int) string { return map[bool]string{true: "edit", false: "approve"}[i%6 == 2] }, orders.StatusDraft},
		{"approve and cancel", func(i int) string { return map[bool]string{true: "cancel", false: "approve"}[i%9 == 4] }, orders.StatusCancelled},
		{"approve only", func(int) string { return "approve" }, orders.StatusApproved},
	}
	for round := range 2 * len(mixes) {
		mix := mixes[round%len(mixes)]
		o := submitted(t, svc, alice, orders.ProductTCB, acct)
		errs := race(20, func(i int) error {
			var err error
			switch mix.kind(i) {
			case "cancel": // by the requester or an admin
				who := alice
				if i%2 == 0 {
					who = admin
				}
				_, err = svc.Cancel(ctx, who, o.ID, "")
			case "edit": // of the version everyone saw
				d := orderstest.Draft(orders.ProductTCB, acct)
				d.Title = fmt.Sprintf("edit %d", i)
				_, err = svc.Update(ctx, alice, o.ID, o.Version, d)
			default: // some approvers try twice; earlier rounds' orders are duplicates, checked
				_, err = svc.Approve(ctx, approvers[i%len(approvers)], o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{NotDuplicate: true})
			}
			return err
		})
		for i, err := range errs {
			if err != nil && !kindOf(err).Conflicting() {
				t.Errorf("%s, attempt %d: %v (only conflicts may lose a race)", mix.name, i, err)
			}
		}
		if got := checkConsistent(t, pool, sends, o.ID, required); got != mix.final {
			t.Errorf("%s: order ended %s, want %s", mix.name, got, mix.final)
		}
	}
}

// checkConsistent replays an order's audit trail and checks it against the
// order, its decisions and its queued sends. It returns the final status.
func checkConsistent(t *testing.T, pool db.Pool, sends *sendLog, id int64, required int) orders.Status {
	t.Helper()
	ctx := context.Background()
	row, err := db.GetOrder(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}
	o := orders.Order{ID: row.ID, Version: int(row.Version), Status: orders.Status(row.Status), ParamsSHA256: row.ParamsSha256}
	events, err := db.AuditEventsFor(ctx, pool, o.Subject())
	if err != nil {
		t.Fatal(err)
	}
	approvals, err := db.ListApprovals(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}

	status, version := orders.StatusDraft, 1
	given := map[int]int{} // approvals recorded per version
	var approvedAt []int   // versions that became approved
	for _, e := range events {
		num := func(k string) int { f, _ := e.Details[k].(float64); return int(f) }
		str := func(k string) string { s, _ := e.Details[k].(string); return s }
		switch e.Action {
		case "order.created":
		case "order.edited":
			if from := orders.Status(str("from_status")); from != status || !from.Editable() || num("from_version") != version {
				t.Fatalf("order %d: edit from %s v%d, but the trail had it %s v%d", id, from, num("from_version"), status, version)
			}
			status, version = orders.StatusDraft, version+1
		case "order.approval_given":
			if status != orders.StatusPendingApproval || num("version") != version {
				t.Fatalf("order %d: approval of v%d while the trail had it %s v%d", id, num("version"), status, version)
			}
			given[version]++
			if num("approvals") != given[version] {
				t.Fatalf("order %d: approval event says %d approvals, trail counts %d", id, num("approvals"), given[version])
			}
		default: // every other event is a transition
			from, to := orders.Status(str("from_status")), orders.Status(str("status"))
			if from != status || orders.CheckTransition(from, to) != nil {
				t.Fatalf("order %d: %s says %s → %s, but the trail had it %s", id, e.Action, from, to, status)
			}
			if to == orders.StatusApproved {
				if given[version] < required {
					t.Fatalf("order %d: approved with %d of %d approvals", id, given[version], required)
				}
				approvedAt = append(approvedAt, version)
			}
			status = to
		}
	}
	if status != o.Status || version != o.Version {
		t.Fatalf("order %d is %s v%d, but its audit trail ends at %s v%d", id, o.Status, o.Version, status, version)
	}
	// Every decision row has its event, and each counts for the version it
	// names only.
	total := 0
	for _, n := range given {
		total += n
	}
	if len(approvals) != total {
		t.Fatalf("order %d: %d decisions stored, %v in the audit trail", id, len(approvals), given)
	}
	current := 0
	for _, a := range approvals {
		if a.Version == o.Version && a.ParamsSHA256 == o.ParamsSHA256 {
			current++
		}
	}
	switch o.Status {
	case orders.StatusPendingApproval:
		if current >= required {
			t.Fatalf("order %d is pending with %d current approvals of %d", id, current, required)
		}
	case orders.StatusApproved:
		if current < required {
			t.Fatalf("order %d is approved with %d current approvals of %d", id, current, required)
		}
	case orders.StatusDraft, orders.StatusCancelled:
	default:
		t.Fatalf("order %d ended %s", id, o.Status)
	}
	// One queued send per approval that committed, for the approved bytes.
	s := sends.sends(t, id)
	if len(s) != len(approvedAt) {
		t.Fatalf("order %d: %d sends queued for %d approvals", id, len(s), len(approvedAt))
	}
	for i := range s {
		if s[i].Version != approvedAt[i] {
			t.Fatalf("order %d: send of v%d, approval of v%d", id, s[i].Version, approvedAt[i])
		}
	}
	return o.Status
}
