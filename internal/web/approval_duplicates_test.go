package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

func TestApprovalOfADuplicateNeedsTheTick(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	alice := orders.Actor{UserID: aliceUser.ID, Roles: roleNames(aliceUser.Roles)}
	svc := orders.NewService(env.pool)
	acct := orderstest.NewAccount(t, env.pool)

	first, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, acct))
	if err != nil {
		t.Fatal(err)
	}
	first = orderstest.Move(t, env.pool, svc, orders.Actor{}, first, orders.StatusPendingApproval, orders.StatusApproved)
	again := submitted(t, svc, alice, orderstest.Draft(orders.ProductTCB, acct))
	path := "/orders/" + itoa(again.ID)

	resp, body := bob.get(path + "/approval")
	doc := parseHTML(t, body)
	warning := doc.Find(`[data-testid="duplicate-warning"][role="alert"]`)
	if resp.StatusCode != http.StatusOK || warning.Length() != 1 ||
		warning.Find(`a[href="/orders/`+itoa(first.ID)+`"]`).Length() != 1 || !strings.Contains(warning.Text(), first.Title) {
		t.Fatalf("approval page (%d): no alert linking order #%d\n%s", resp.StatusCode, first.ID, body)
	}
	box := doc.Find(`form[data-testid="decision-form"] input[type="checkbox"][name="not_duplicate"]`)
	if box.Length() != 1 || !strings.Contains(doc.Find(`label[for="not_duplicate"]`).Text(), "I have checked this is not a duplicate") {
		t.Fatalf("no not_duplicate checkbox in the decision form\n%s", body)
	}
	// The order's own page embeds the same panel, warning included.
	if _, body := bob.get(path); !strings.Contains(body, `data-testid="duplicate-warning"`) {
		t.Fatal("the order page does not show the duplicate warning")
	}

	// Approving without the tick: 422, the comment kept, nothing changed.
	vals := formOnPage(t, doc, "decision-form")
	vals.Set("comment", "looks right")
	resp, body = bob.post(path+"/approve", vals)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("approve without the tick: %d, want 422\n%s", resp.StatusCode, pageErrors(body))
	}
	doc = parseHTML(t, body)
	fieldError(t, doc, "not_duplicate", "#"+itoa(first.ID))
	if got := doc.Find(`textarea[name="comment"]`).Text(); got != "looks right" {
		t.Errorf("comment after the refusal = %q, want it kept", got)
	}
	if o := env.order(again.ID); o.Status != orders.StatusPendingApproval {
		t.Fatalf("order is %s after a refused approval", o.Status)
	}
	if as, _ := db.ListApprovals(ctx, env.pool, again.ID); len(as) != 0 {
		t.Fatalf("a refused approval was recorded: %+v", as)
	}

	// Ticked: approved, and the approval names the order checked.
	vals = formOnPage(t, doc, "decision-form")
	vals.Set("not_duplicate", "yes")
	vals.Set("confirmed", "yes")
	if resp, body = bob.post(path+"/approve", vals); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve with the tick: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if o := env.order(again.ID); o.Status != orders.StatusApproved {
		t.Fatalf("order is %s after a ticked approval", o.Status)
	}
	as, _ := db.ListApprovals(ctx, env.pool, again.ID)
	if len(as) != 1 || !slices.Equal(as[0].DuplicatesChecked, []int64{first.ID}) {
		t.Fatalf("approvals = %+v, want one checking order %d", as, first.ID)
	}
}

func TestCloneOfAnUnknownOrderIsRefusedOnThePage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	carol, carolUser := env.loggedIn("carol", auth.RoleRequester)
	a := orders.Actor{UserID: carolUser.ID, Roles: roleNames(carolUser.Roles)}
	svc := orders.NewService(env.pool)
	lost, err := svc.Compose(ctx, a, orderstest.Draft(orders.ProductBilling, orderstest.NewAccount(t, env.pool)))
	if err != nil {
		t.Fatal(err)
	}
	lost = orderstest.Move(t, env.pool, svc, orders.Actor{}, lost,
		orders.StatusPendingApproval, orders.StatusApproved, orders.StatusSending, orders.StatusUnknown)
	before := env.orderCount()
	resp, body := carol.post("/orders/"+itoa(lost.ID)+"/clone", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Order #"+itoa(lost.ID)+" with the same purchase") {
		t.Fatalf("clone of an unknown order: %d, want 409 naming it\n%s", resp.StatusCode, pageErrors(body))
	}
	if env.orderCount() != before {
		t.Fatal("a refused clone saved an order")
	}
}

// submitted composes d as a and submits it.
func submitted(t *testing.T, svc *orders.Service, a orders.Actor, d orders.Draft) orders.Order {
	t.Helper()
	ctx := context.Background()
	o, err := svc.Compose(ctx, a, d)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = svc.Submit(ctx, a, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	return o
}
