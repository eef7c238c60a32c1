package web

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// The home page puts what waits for each person first: unknown outcomes for
// those who settle them, the inbox for approvers, drafts and refused or
// unclear orders for their requester.
func TestHomeShowsWhatWaitsForEachRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	carol, _ := env.loggedIn("carol", auth.RoleRequester) // another requester
	dave, _ := env.loggedIn("dave", auth.RoleAuditor)

	svc := orders.NewService(env.pool)
	a := orders.Actor{UserID: aliceUser.ID, Roles: roleNames(aliceUser.Roles)}
	draft, err := svc.Compose(ctx, a, orderstest.Draft(orders.ProductTCB, orderstest.NewAccount(t, env.pool)))
	if err != nil {
		t.Fatal(err)
	}
	pending := env.sendable(aliceUser, orders.ProductTCB) // waits for bob
	lost := env.sendable(aliceUser, orders.ProductWAF)
	lost = orderstest.Move(t, env.pool, svc, orders.Actor{}, lost, orders.StatusApproved, orders.StatusSending, orders.StatusUnknown)

	doc := bob.page("/")
	if !has(doc, "home-unknown") || !strings.Contains(testID(doc, "home-unknown-list"), lost.Title) {
		t.Errorf("approver does not see the unknown order:\n%s", doc.Text())
	}
	if got := testID(doc, "home-waiting"); !strings.HasPrefix(got, "1 order awaits") {
		t.Errorf("approver's waiting line %q", got)
	}
	// The navigation counts the unknown order for who settles it, on
	// every page, and leads to them.
	if got := testID(doc, "unknown-count"); got != "1" {
		t.Errorf("approver's navigation counts %q unknown orders, want 1", got)
	}
	if href, _ := doc.Find(`[data-testid="nav-unknown"]`).Attr("href"); href != "/orders?status=unknown" {
		t.Errorf("the unknown count links to %q", href)
	}
	if got := testID(bob.page(orderURL(lost)), "unknown-count"); got != "1" {
		t.Errorf("the order page's navigation counts %q unknown orders", got)
	}
	// What each order buys, in words, on the home page and the orders list.
	if got := testID(doc, "home-summary"); !strings.Contains(got, "WAF") {
		t.Errorf("the unknown order's summary on the home page: %q", got)
	}
	if got := testID(bob.page("/orders?requester="), "order-line-summary"); !strings.Contains(got, "New purchase") {
		t.Errorf("the orders list's summary: %q", got)
	}
	doc = alice.page("/")
	if has(doc, "home-unknown") || has(doc, "unknown-count") {
		t.Error("the settle-first warning and count are for approvers and admins")
	}
	if !strings.Contains(testID(doc, "home-drafts-list"), "#"+itoa(draft.ID)) ||
		!strings.Contains(testID(doc, "home-attention-list"), "#"+itoa(lost.ID)) ||
		strings.Contains(testID(doc, "home-attention-list"), "#"+itoa(pending.ID)) {
		t.Errorf("requester's lists: drafts %q, attention %q", testID(doc, "home-drafts-list"), testID(doc, "home-attention-list"))
	}
	if doc := carol.page("/"); has(doc, "home-drafts-list") || has(doc, "home-attention-list") {
		t.Error("another requester sees alice's orders on her home page")
	}
	if doc := dave.page("/"); has(doc, "home-unknown") || has(doc, "home-requests") || !strings.Contains(doc.Text(), "Audit log") {
		t.Errorf("auditor's home page:\n%s", doc.Text())
	}
}
