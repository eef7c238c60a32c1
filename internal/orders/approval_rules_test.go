package orders_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// group makes an approver group holding members.
func group(t *testing.T, pool db.Pool, svc *orders.Service, admin orders.Actor, name string, members ...orders.Actor) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := svc.SaveGroup(ctx, admin, 0, name, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		u, err := db.GetUser(ctx, pool, m.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.AddGroupMember(ctx, admin, id, u.Username); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func refusedWith(err error, key string) bool {
	fe, ok := fault.As(err)
	return ok && fe.Msg.Key == key
}

// twoStages sets a TCB policy whose first rule asks 1 from platform, then
// 1 from finance, for every order.
func twoStages(t *testing.T, pool db.Pool, svc *orders.Service, admin orders.Actor, platform, finance int64, opts orders.RuleInput) (orders.Policy, int64) {
	t.Helper()
	p := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1, AutoSend: true})
	opts.Name, opts.Condition = "platform then finance", "true"
	opts.Stages = []orders.Stage{{GroupID: platform, Count: 1}, {GroupID: finance, Count: 1}}
	id, err := svc.SaveRule(context.Background(), admin, p.ID, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, id
}

func TestStagesRunInOrderAndEachPersonCountsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	plat, fin, both := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	platform := group(t, pool, svc, admin, "platform", plat, both)
	finance := group(t, pool, svc, admin, "finance", fin, both)
	twoStages(t, pool, svc, admin, platform, finance, orders.RuleInput{AutoSend: true})
	o := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))

	approve := func(a orders.Actor) error {
		_, err := svc.Approve(ctx, a, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
		return err
	}
	if err := approve(fin); !refusedWith(err, "rule.decide.not_in_group") {
		t.Fatalf("finance in the platform stage: %v; want refused", err)
	}
	st, _ := svc.ApprovalState(ctx, fin, o.ID)
	if st.CanDecide || st.CannotDecide.Key != "rule.decide.not_in_group" || st.Rule == nil || st.Rule.Name != "platform then finance" {
		t.Fatalf("finance's view in stage 1: can %v, why %q, rule %+v", st.CanDecide, st.CannotDecide.Key, st.Rule)
	}
	if items, _ := svc.Inbox(ctx, fin, 50); len(items) != 0 {
		t.Fatalf("finance's inbox holds %d orders in the platform stage", len(items))
	}
	if err := approve(both); err != nil {
		t.Fatal(err)
	}
	// Both groups hold this person, but one person counts once per version.
	if err := approve(both); err == nil {
		t.Fatal("the same person approved twice")
	}
	if err := approve(plat); !refusedWith(err, "rule.decide.not_in_group") {
		t.Fatalf("platform in the finance stage: %v; want refused", err)
	}
	st, _ = svc.ApprovalState(ctx, fin, o.ID)
	if !st.CanDecide || st.CurrentStage != 1 || !st.Stages[0].Done || st.Stages[1].Done || len(st.Stages[0].Approvers) != 1 {
		t.Fatalf("after stage 1: can %v, stage %d, %+v", st.CanDecide, st.CurrentStage, st.Stages)
	}
	if items, _ := svc.Inbox(ctx, fin, 50); len(items) != 1 || items[0].Required != 2 {
		t.Fatalf("finance's inbox in its stage: %+v", items)
	}
	if got, _ := svc.Get(ctx, o.ID); got.Status != orders.StatusPendingApproval {
		t.Fatalf("after one stage of two the order is %s", got.Status)
	}
	if err := approve(fin); err != nil {
		t.Fatal(err)
	}
	st, _ = svc.ApprovalState(ctx, alice, o.ID)
	if st.Order.Status != orders.StatusApproved || !st.Stages[1].Done || len(sends.sends(t, o.ID)) != 1 {
		t.Fatalf("after both stages: %s, %+v, %d sends", st.Order.Status, st.Stages, len(sends.sends(t, o.ID)))
	}
}

// The concurrency test of issue 17: two approvers of the first stage and
// one of the next race on each of several orders. Whatever the order they
// reach the row lock in, each order ends consistent: at most one approval
// counts in stage 1, a stage-2 approval exists only after a stage-1 one,
// nobody counts twice, and the order is approved exactly when both stages
// are full.
func TestStagesRaceLeaveAConsistentOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sends := newSendLog(t, pool)
	svc := orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	p1, p2, f1 := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	platform := group(t, pool, svc, admin, "platform", p1, p2)
	finance := group(t, pool, svc, admin, "finance", f1)
	twoStages(t, pool, svc, admin, platform, finance, orders.RuleInput{AutoSend: true})
	deciders := []orders.Actor{p1, p2, f1}
	approvedSeen := 0
	for range 12 {
		o := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))
		errs := race(len(deciders), func(i int) error {
			_, err := svc.Approve(ctx, deciders[i], o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
			return err
		})
		for i, err := range errs {
			if err != nil && !refusedWith(err, "rule.decide.not_in_group") && !kindOf(err).Conflicting() {
				t.Fatalf("order %d, approver %d: %v", o.ID, i, err)
			}
		}
		rows, err := db.ListApprovals(ctx, pool, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		// In the order they were written: decided_at is each transaction's
		// start, and a decision that waited for the row lock started first.
		slices.SortFunc(rows, func(a, b db.Approval) int { return cmp.Compare(a.ID, b.ID) })
		byStage, people := map[int]int{}, map[int64]bool{}
		for _, r := range rows {
			if people[r.ApproverID] {
				t.Fatalf("order %d: approver %d counted twice", o.ID, r.ApproverID)
			}
			people[r.ApproverID] = true
			byStage[r.Stage]++
			if r.Stage == 2 && byStage[1] == 0 {
				t.Fatalf("order %d: a stage-2 approval before any in stage 1: %+v", o.ID, rows)
			}
		}
		if byStage[1] != 1 || byStage[2] > 1 || len(rows) != byStage[1]+byStage[2] {
			t.Fatalf("order %d: approvals by stage %v; want exactly one in stage 1 and at most one in stage 2", o.ID, byStage)
		}
		got, _ := svc.Get(ctx, o.ID)
		full := byStage[2] == 1
		if (got.Status == orders.StatusApproved) != full || (full && len(sends.sends(t, o.ID)) != 1) {
			t.Fatalf("order %d is %s with stages %v and %d sends", o.ID, got.Status, byStage, len(sends.sends(t, o.ID)))
		}
		if full {
			approvedSeen++
		} else if _, err := svc.Approve(ctx, f1, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
			// Finance came first and was turned away; its turn is now.
			t.Fatalf("order %d: finance after stage 1: %v", o.ID, err)
		}
	}
	t.Logf("%d of 12 orders were approved within the race", approvedSeen)
}

// The rule is pinned at submit: editing the policy's rules afterwards does
// not change what an order already in review needs.
func TestRuleIsPinnedAtSubmit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	plat, fin := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	platform := group(t, pool, svc, admin, "platform", plat)
	finance := group(t, pool, svc, admin, "finance", fin)
	p, ruleID := twoStages(t, pool, svc, admin, platform, finance, orders.RuleInput{})
	o := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))

	// The admin relaxes the rule to one approver from anyone, and adds a
	// stricter rule before it; neither touches the order in review.
	if _, err := svc.SaveRule(ctx, admin, p.ID, ruleID, orders.RuleInput{Name: "relaxed", Condition: "true", Stages: []orders.Stage{{Count: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, plat, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	st, _ := svc.ApprovalState(ctx, alice, o.ID)
	if st.Order.Status != orders.StatusPendingApproval || st.Rule.Name != "platform then finance" || len(st.Stages) != 2 {
		t.Fatalf("after the edit and one approval: %s under %q with %d stages; want still pending under the pinned rule",
			st.Order.Status, st.Rule.Name, len(st.Stages))
	}
	if _, err := svc.Approve(ctx, fin, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, o.ID); got.Status != orders.StatusApproved {
		t.Fatalf("after both pinned stages: %s", got.Status)
	}
	// Every approval records the rule it counted under.
	rows, _ := db.ListApprovals(ctx, pool, o.ID)
	for _, r := range rows {
		if len(r.Rule) == 0 || r.Stage < 1 {
			t.Fatalf("approval without its rule or stage: %+v", r)
		}
	}
	// A new order is held to the edited rule.
	o2 := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))
	if _, err := svc.Approve(ctx, fin, o2.ID, o2.Version, o2.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, o2.ID); got.Status != orders.StatusApproved {
		t.Fatalf("a new order under the relaxed rule: %s", got.Status)
	}
}

func TestSeparationOfDuties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	colleague, outsider := orderstest.NewUser(t, pool, "approver"), orderstest.NewUser(t, pool, "approver")
	boss := orderstest.NewUser(t, pool, "approver", "admin")
	group(t, pool, svc, admin, "payments", alice, colleague)
	p := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1})
	if _, err := svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{
		Name: "four eyes outside the team", Condition: `size(groups) > 0`, Stages: []orders.Stage{{Count: 1}},
		SeparateRequesterGroups: true, ExcludeAdmins: true,
	}); err != nil {
		t.Fatal(err)
	}
	o := submitted(t, svc, alice, orders.ProductTCB, orderstest.NewAccount(t, pool))
	if _, err := svc.Approve(ctx, colleague, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); !refusedWith(err, "rule.decide.same_group") {
		t.Fatalf("a colleague of the requester: %v; want refused", err)
	}
	if _, err := svc.Reject(ctx, boss, o.ID, o.Version, o.ParamsSHA256, "no"); !refusedWith(err, "rule.decide.admins_excluded") {
		t.Fatalf("an admin: %v; want refused", err)
	}
	if st, _ := svc.ApprovalState(ctx, boss, o.ID); st.CanDecide || st.CannotDecide.Key != "rule.decide.admins_excluded" {
		t.Fatalf("the admin's view: can %v, why %q", st.CanDecide, st.CannotDecide.Key)
	}
	if _, err := svc.Approve(ctx, outsider, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Get(ctx, o.ID); got.Status != orders.StatusApproved {
		t.Fatalf("after the outsider: %s", got.Status)
	}
}

func TestRuleSaveRefusesBadInputAndGroupsInUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	p := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductWAF, RequiredApprovers: 1})
	fin := group(t, pool, svc, admin, "finance")
	_, err := svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{Name: "x", Condition: "estimate > 1", Stages: []orders.Stage{{GroupID: 999999, Count: 0}}})
	fe, ok := fault.AsFields(err)
	if !ok || fe["condition"].Key != "rule.condition.invalid" || fe["stages"].Key == "" {
		t.Fatalf("bad rule: %v", err)
	}
	if got, _ := svc.Policy(ctx, p.ID); len(got.Rules) != 0 || got.RulesVersion != p.RulesVersion {
		t.Fatalf("a refused rule changed the policy: %+v", got)
	}
	if _, err := svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{Name: "ok", Condition: "true", Stages: []orders.Stage{{GroupID: fin, Count: 1}}}); err != nil {
		t.Fatal(err)
	}
	if err := svc.DeleteGroup(ctx, admin, fin); !refusedWith(err, "group.in_use") {
		t.Fatalf("deleting a group in use: %v", err)
	}
	if _, err := svc.SaveGroup(ctx, admin, 0, "Finance Team", ""); err == nil {
		t.Fatal("a group name rules cannot write was accepted")
	}
	if _, err := svc.SaveGroup(ctx, orderstest.NewUser(t, pool, "approver"), 0, "ops", ""); !errors.Is(err, fault.New(fault.Refused, "group.admins_only")) {
		t.Fatalf("a non-admin made a group: %v", err)
	}
	events, _ := db.AuditEventsFor(ctx, pool, orders.PolicySubject(p.ID))
	if len(events) != 2 || events[1].Action != db.ActionRuleCreated {
		t.Fatalf("policy events: %+v", events)
	}
}

// The rules read the budget left after the order and its cost centre from
// the budgets: an order that exceeds its account's budget is held to the
// over-budget rule, one that fits is not.
func TestRulesReadTheBudgetAndCostCentre(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	alice := orderstest.NewUser(t, pool, "requester")
	p := setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1})
	for _, r := range []orders.RuleInput{
		{Name: "over budget", Condition: `has_budget && budget_left_fen < 0`, Stages: []orders.Stage{{Count: 3}}},
		{Name: "research", Condition: `cost_centre == "research"`, Stages: []orders.Stage{{Count: 2}}},
	} {
		if _, err := svc.SaveRule(ctx, admin, p.ID, 0, r); err != nil {
			t.Fatal(err)
		}
	}
	cc, err := svc.AddCostCentre(ctx, admin, "research")
	if err != nil {
		t.Fatal(err)
	}
	tight, roomy := orderstest.NewAccount(t, pool), orderstest.NewAccount(t, pool)
	for acct, limit := range map[int64]int64{tight: 1, roomy: 100_000_000} {
		if _, err := svc.CreateBudget(ctx, admin, orders.BudgetInput{AccountID: acct, Period: "month", LimitFen: limit}); err != nil {
			t.Fatal(err)
		}
	}
	ruleOf := func(acct, costCentre int64) string {
		d := orderstest.Draft(orders.ProductTCB, acct)
		d.CostCentreID = costCentre
		o, err := svc.Compose(ctx, alice, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Submit(ctx, alice, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		st, err := svc.ApprovalState(ctx, alice, o.ID)
		if err != nil || st.Rule == nil {
			t.Fatalf("order %d: %+v, %v", o.ID, st.Rule, err)
		}
		if st.Rule.Otherwise {
			return "otherwise"
		}
		return st.Rule.Name
	}
	if got := ruleOf(tight, 0); got != "over budget" {
		t.Errorf("order over its budget: held to %q", got)
	}
	if got := ruleOf(roomy, cc.ID); got != "research" {
		t.Errorf("order within budget, research cost centre: held to %q", got)
	}
	if got := ruleOf(orderstest.NewAccount(t, pool), 0); got != "otherwise" {
		t.Errorf("order without budget or cost centre: held to %q", got)
	}
}
