package orders_test

import (
	"context"
	"errors"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// TestConcurrentApprovalsCannotOverCommitABudget is issue 16's test: 20
// approvers approving 20 orders at once, which together exceed a budget
// that blocks over-budget orders, cannot together over-commit it, because
// each approval counts the budget under the budget's row lock, in its own
// transaction.
func TestConcurrentApprovalsCannotOverCommitABudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	admin := orderstest.NewUser(t, pool, "admin")
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductBilling, RequiredApprovers: 1})
	alice := orderstest.NewUser(t, pool, "requester")

	const n, fits = 20, 5
	os := make([]orders.Order, n)
	approvers := make([]orders.Actor, n)
	for i := range os {
		os[i] = submitted(t, svc, alice, orders.ProductBilling, acct)
		approvers[i] = orderstest.NewUser(t, pool, "approver")
	}
	est, err := svc.EstimateFor(ctx, os[0].ID)
	if err != nil || !est.Priced() || est.TotalFen() <= 0 {
		t.Fatalf("estimate %v, %v", est, err)
	}
	each := est.TotalFen()
	limit := fits*each + each/2 // room for five, not six
	if _, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, Period: orders.PeriodMonth, LimitFen: limit, BlockOverBudget: true}); err != nil {
		t.Fatal(err)
	}

	errs := race(n, func(i int) error {
		_, err := svc.Approve(ctx, approvers[i], os[i].ID, os[i].Version, os[i].ParamsSHA256, "", orders.ApproveOptions{NotDuplicate: true})
		return err
	})
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !hasKey(err, "budget.blocks_over"):
			t.Errorf("an approval failed with something other than the budget: %v", err)
		}
	}
	var committed int64
	var approved int
	if err := pool.QueryRow(ctx, `SELECT COALESCE(sum(e.estimate_fen), 0), count(*) FROM orders o JOIN order_estimates e ON e.order_id = o.id
		WHERE o.account_id = $1 AND o.status = 'approved'`, acct).Scan(&committed, &approved); err != nil {
		t.Fatal(err)
	}
	if ok != fits || approved != fits || committed > limit {
		t.Fatalf("%d approvals accepted, %d orders approved committing %d fen of a %d fen budget; want exactly %d within it",
			ok, approved, committed, limit, fits)
	}
	uses, err := svc.Budgets(ctx)
	if err != nil || len(uses) != 1 || uses[0].CommittedFen != committed || uses[0].RequestedFen != int64(n-fits)*each {
		t.Fatalf("budget use %+v, %v; want committed %d and requested %d", uses, err, committed, int64(n-fits)*each)
	}
}

// TestBudgetArithmetic follows one account's budgets as orders move:
// requested while pending, committed once approved, spent once succeeded;
// a cost centre's budget counts only its orders, and LeftAfter names the
// tightest budget.
func TestBudgetArithmetic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	bob := orderstest.NewUser(t, pool, "approver")
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductBilling, RequiredApprovers: 1})

	o := submitted(t, svc, alice, orders.ProductBilling, acct)
	if _, _, ok, err := orders.LeftAfter(ctx, pool, o); ok || err != nil {
		t.Fatalf("no budget yet, LeftAfter ok=%v err=%v", ok, err)
	}
	est, _ := svc.EstimateFor(ctx, o.ID)
	each := est.TotalFen()

	ops, err := svc.AddCostCentre(ctx, admin, "Operations")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCostCentre(ctx, admin, "Operations"); fault.KindOf(err) != fault.Invalid {
		t.Fatalf("a second Operations: %v, want a field error", err)
	}
	if _, err := svc.AddCostCentre(ctx, alice, "Sales"); fault.KindOf(err) != fault.Refused {
		t.Fatalf("a requester adds a cost centre: %v", err)
	}
	accountWide, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, Period: orders.PeriodYear, LimitFen: 10 * each})
	if err != nil {
		t.Fatal(err)
	}
	centre, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, CostCentreID: ops.ID, Period: orders.PeriodMonth, LimitFen: 2 * each})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, Period: orders.PeriodYear, LimitFen: each}); !hasKey(err, "budget.exists") {
		t.Fatalf("a second yearly budget: %v", err)
	}
	if _, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, Period: "week", LimitFen: each}); fault.KindOf(err) != fault.Invalid {
		t.Fatalf("a weekly budget: %v", err)
	}

	// o has no cost centre: only the account's budget applies.
	left, id, ok, err := orders.LeftAfter(ctx, pool, o)
	if err != nil || !ok || id != accountWide || left != 9*each {
		t.Fatalf("LeftAfter = %d, budget %d, %v, %v; want %d of budget %d", left, id, ok, err, 9*each, accountWide)
	}

	// Two orders of the Operations cost centre: the centre's budget is
	// the tighter one.
	d := orderstest.Draft(orders.ProductBilling, acct)
	d.CostCentreID = ops.ID
	p1, err := svc.Compose(ctx, alice, d)
	if err != nil {
		t.Fatal(err)
	}
	p1 = orderstest.Move(t, pool, svc, alice, p1, orders.StatusPendingApproval)
	left, id, ok, err = orders.LeftAfter(ctx, pool, p1)
	if err != nil || !ok || id != centre || left != each {
		t.Fatalf("LeftAfter(p1) = %d, budget %d, %v, %v; want %d of budget %d", left, id, ok, err, each, centre)
	}

	// Approved: committed; succeeded: spent.
	if _, err := svc.Approve(ctx, bob, p1.ID, p1.Version, p1.ParamsSHA256, "", orders.ApproveOptions{NotDuplicate: true}); err != nil {
		t.Fatal(err)
	}
	p1, _ = svc.Get(ctx, p1.ID)
	uses, err := svc.Budgets(ctx)
	if err != nil || len(uses) != 2 {
		t.Fatalf("budgets %+v, %v", uses, err)
	}
	byID := map[int64]orders.BudgetUse{}
	for _, u := range uses {
		byID[u.ID] = u
	}
	if u := byID[accountWide]; u.CommittedFen != each || u.RequestedFen != each || u.SpentFen != 0 {
		t.Fatalf("account budget after approval: %+v", u)
	}
	if u := byID[centre]; u.CommittedFen != each || u.RequestedFen != 0 || u.CostCentreName != "Operations" {
		t.Fatalf("cost centre budget after approval: %+v", u)
	}
	orderstest.Move(t, pool, svc, admin, p1, orders.StatusSending, orders.StatusSucceeded)
	uses, _ = svc.BudgetsOfAccount(ctx, acct)
	for _, u := range uses {
		if u.SpentFen != each || u.CommittedFen != 0 {
			t.Fatalf("after success, budget %d: %+v; want spent %d", u.ID, u, each)
		}
	}

	// The over-budget flag of the lists: the centre has one order's room
	// left, so a second order fits; after the limit is lowered it does not.
	p2, err := svc.Compose(ctx, alice, d)
	if err != nil {
		t.Fatal(err)
	}
	ests, _ := svc.EstimatesFor(ctx, []int64{p2.ID})
	over, err := svc.OverBudget(ctx, []orders.BudgetSubject{{ID: p2.ID, AccountID: p2.AccountID, Status: p2.Status}}, ests)
	if err != nil || over[p2.ID] {
		t.Fatalf("p2 fits: over=%v err=%v", over, err)
	}
	if err := svc.UpdateBudget(ctx, admin, centre, each+each/2, false); err != nil {
		t.Fatal(err)
	}
	over, _ = svc.OverBudget(ctx, []orders.BudgetSubject{{ID: p2.ID, AccountID: p2.AccountID, Status: p2.Status}}, ests)
	b, ok, err := svc.BudgetOf(ctx, p2, ests[p2.ID])
	if !over[p2.ID] || err != nil || !ok || !b.Over() || b.Use.ID != centre || b.LeftBeforeFen != each/2 {
		t.Fatalf("p2 over the lowered budget: over=%v, budget %+v ok=%v err=%v", over, b, ok, err)
	}

	// A retired cost centre is not offered to new orders.
	if err := svc.RetireCostCentre(ctx, admin, ops.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Compose(ctx, alice, d); fault.KindOf(err) != fault.Invalid {
		t.Fatalf("compose with a retired cost centre: %v", err)
	}
	// ...but an order that has it keeps it through an edit.
	if _, err := svc.Update(ctx, alice, p2.ID, p2.Version, d); err != nil {
		t.Fatalf("edit keeping a retired cost centre: %v", err)
	}
	if err := svc.DeleteBudget(ctx, admin, centre); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteBudget(ctx, admin, centre); !errors.Is(err, db.ErrNotFound) && fault.KindOf(err) != fault.NotFound {
		t.Fatalf("deleting twice: %v", err)
	}
	var events int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action LIKE 'budget.%' OR action LIKE 'cost_centre.%'`).Scan(&events); err != nil || events != 6 {
		t.Fatalf("%d budget and cost centre events, want 6 (a centre, 2 budgets, an update, a retirement, a deletion): %v", events, err)
	}
}

// hasKey reports whether err refuses with the message key, as a refusal or
// as one of its field errors.
func hasKey(err error, key string) bool {
	if e, ok := fault.As(err); ok {
		return e.Msg.Key == key
	}
	if fe, ok := fault.AsFields(err); ok {
		for _, m := range fe {
			if m.Key == key {
				return true
			}
		}
	}
	return false
}
