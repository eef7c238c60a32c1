package web

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// The navigation's approvals count is what the viewer may decide now, the
// set the inbox lists: under a rule of one approval from platform, then one
// from finance, the order counts for platform's approver first and for
// finance's only once platform has approved; never for its requester, even
// one who holds the approver role, nor for an admin the rule excludes.
func TestApprovalsBadgeCountsWhatTheViewerMayDecideNow(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	svc := orders.NewService(env.pool)
	_, adminUser := env.loggedIn("root", auth.RoleAdmin)
	admin := orders.Actor{UserID: adminUser.ID, Roles: roleNames(adminUser.Roles)}
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester, auth.RoleApprover)
	plat, platUser := env.loggedIn("pat", auth.RoleApprover)
	fin, finUser := env.loggedIn("fay", auth.RoleApprover)
	boss, bossUser := env.loggedIn("boss", auth.RoleApprover, auth.RoleAdmin)
	groupOf := func(name string, members ...auth.User) int64 {
		id, err := svc.SaveGroup(ctx, admin, 0, name, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if err := svc.AddGroupMember(ctx, admin, id, m.Username); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	platform, finance := groupOf("platform", platUser, bossUser), groupOf("finance", finUser, bossUser)
	p, err := svc.SavePolicy(ctx, admin, 0, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveRule(ctx, admin, p.ID, 0, orders.RuleInput{Name: "platform then finance", Condition: "true",
		ExcludeAdmins: true, Stages: []orders.Stage{{GroupID: platform, Count: 1}, {GroupID: finance, Count: 1}}}); err != nil {
		t.Fatal(err)
	}
	o := env.pendingOrder(aliceUser)

	badge := func(c *client) string {
		t.Helper()
		_, body := c.get("/")
		const mark = `data-testid="approvals-count">`
		_, rest, found := strings.Cut(body, mark)
		if !found {
			return ""
		}
		n, _, _ := strings.Cut(rest, "<")
		return n
	}
	inbox := func(c *client) bool {
		t.Helper()
		_, body := c.get("/approvals")
		return strings.Contains(body, `data-testid="inbox-row-`+itoa(o.ID)+`"`)
	}
	check := func(when string, c *client, want bool) {
		t.Helper()
		got, listed := badge(c), inbox(c)
		if (got == "1") != want || listed != want {
			t.Fatalf("%s: badge %q, in the inbox %v; want %v for both", when, got, listed, want)
		}
	}
	check("platform's approver in stage 1", plat, true)
	check("finance's approver in stage 1", fin, false)
	check("the requester, an approver too", alice, false)
	check("an admin the rule excludes", boss, false)

	if _, err := svc.Approve(ctx, orders.Actor{UserID: platUser.ID, Roles: roleNames(platUser.Roles)},
		o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	check("platform's approver, having decided", plat, false)
	check("finance's approver in stage 2", fin, true)
	check("the requester in stage 2", alice, false)
}
