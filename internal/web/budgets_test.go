package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// TestBudgetPanelAndOverBudgetFlags: an admin keeps a budget on the page;
// the approval page shows what is left before and after the order; once
// another order has committed most of it, the next one says "over budget"
// in the inbox, the list and its own pages, and a blocking budget refuses
// its approval.
func TestBudgetPanelAndOverBudgetFlags(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	requester, _ := env.user("req", auth.RoleRequester)
	approver, _ := env.loggedIn("appr", auth.RoleApprover)
	requester2, _ := env.user("req2", auth.RoleRequester)
	first := env.pendingOrder(requester) // 19.90 CNY each
	// The second on the same account, so they share its budget.
	svc := orders.NewService(env.pool)
	a2 := orders.Actor{UserID: requester2.ID, Roles: []string{"requester"}}
	second, err := svc.Compose(ctx, a2, orders.Draft{Product: orders.ProductTCB, AccountID: first.AccountID,
		Title: "CloudBase again", Justification: "Another team", Params: []byte(testTCBParams)})
	if err != nil {
		t.Fatal(err)
	}
	if second, err = svc.Submit(ctx, a2, second.ID, second.Version); err != nil {
		t.Fatal(err)
	}
	acct := itoa(first.AccountID)

	// Bad input changes nothing.
	resp, body := admin.post("/admin/budgets", url.Values{"account_id": {acct}, "period": {"month"}, "limit": {"30,00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The limit must be an amount in yuan") {
		t.Fatalf("bad limit: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	resp, _ = admin.post("/admin/budgets", url.Values{"account_id": {acct}, "period": {"fortnight"}, "limit": {"30"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad period: %d", resp.StatusCode)
	}
	resp, _ = admin.post("/admin/budgets", url.Values{"account_id": {acct}, "period": {"month"}, "limit": {"30"}, "block": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create budget: %d", resp.StatusCode)
	}
	_, body = admin.get("/admin/budgets")
	doc := parseHTML(t, body)
	if doc.Find(`[data-testid="budgets-table"] tbody tr`).Length() != 1 || !strings.Contains(body, "30.00 CNY") {
		t.Fatalf("budgets page:\n%s", body)
	}
	var events int
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'budget.created'`).Scan(&events); err != nil || events != 1 {
		t.Fatalf("budget.created events: %d %v", events, err)
	}

	// The approval page: 30.00 left before, 10.10 after.
	doc = approver.page("/orders/" + itoa(first.ID) + "/approval")
	if b, a := doc.Find(`[data-testid="budget-left-before"]`).Text(), doc.Find(`[data-testid="budget-left-after"]`).Text(); b != "30.00 CNY" || a != "10.10 CNY" {
		t.Fatalf("budget panel before %q after %q", b, a)
	}
	if doc.Find(`[data-testid="budget-over"]`).Length() != 0 {
		t.Fatal("the first order is flagged over budget")
	}
	form := decisionForm(first, "")
	form.Set("not_duplicate", "yes")
	form.Set("duplicates_shown", itoa(second.ID))
	resp, body = approver.post("/orders/"+itoa(first.ID)+"/approve", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve first: %d\n%s", resp.StatusCode, pageErrors(body))
	}

	// The second would exceed it, and every page it appears on says so.
	doc = approver.page("/orders/" + itoa(second.ID) + "/approval")
	if doc.Find(`[data-testid="budget-over"]`).Length() != 1 || doc.Find(`[data-testid="budget-left-after"]`).Text() != "-9.80 CNY" {
		t.Fatalf("approval page of the second: over %d, after %q", doc.Find(`[data-testid="budget-over"]`).Length(), doc.Find(`[data-testid="budget-left-after"]`).Text())
	}
	if approver.page("/orders/"+itoa(second.ID)).Find(`[data-testid="budget-over"]`).Length() != 1 {
		t.Fatal("the order page does not say over budget")
	}
	if approver.page("/approvals").Find(`[data-testid="inbox-row-`+itoa(second.ID)+`"] [data-testid="over-budget"]`).Length() != 1 {
		t.Fatal("the inbox does not flag the second order")
	}
	list := admin.page("/orders")
	if list.Find(`[data-testid="order-row-`+itoa(second.ID)+`"] [data-testid="over-budget"]`).Length() != 1 ||
		list.Find(`[data-testid="order-row-`+itoa(first.ID)+`"] [data-testid="over-budget"]`).Length() != 0 {
		t.Fatal("the list flags the wrong orders")
	}
	form = decisionForm(second, "")
	form.Set("not_duplicate", "yes")
	form.Set("duplicates_shown", itoa(first.ID))
	resp, body = approver.post("/orders/"+itoa(second.ID)+"/approve", form)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "would exceed its budget") {
		t.Fatalf("approving over a blocking budget: %d\n%s", resp.StatusCode, pageErrors(body))
	}
	if o := env.order(second.ID); o.Status != "pending_approval" {
		t.Fatalf("the refused order is %s", o.Status)
	}
}
