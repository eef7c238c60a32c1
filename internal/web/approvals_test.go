package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

const testTCBParams = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`

// pendingOrder composes and submits a CloudBase order of the user's.
func (e *testEnv) pendingOrder(requester auth.User) orders.Order {
	e.t.Helper()
	ctx := context.Background()
	var account int64
	if err := e.pool.QueryRow(ctx, `INSERT INTO tencentcloud_accounts (name, key_source) VALUES ($1, 'environment') RETURNING id`,
		"account of "+requester.Username+strconv.Itoa(int(requester.ID))).Scan(&account); err != nil {
		e.t.Fatal(err)
	}
	a := orders.Actor{UserID: requester.ID, Roles: roleNames(requester.Roles)}
	svc := orders.NewService(e.pool)
	o, err := svc.Compose(ctx, a, orders.Draft{Product: orders.ProductTCB, AccountID: account,
		Title: "CloudBase for the team", Justification: "The team needs it", Params: []byte(testTCBParams)})
	if err != nil {
		e.t.Fatal(err)
	}
	if o, err = svc.Submit(ctx, a, o.ID, o.Version); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// decisionForm is a decision as the confirmation page posts it: an
// approval that buys at once goes through (TestApproveAndBuyAsksFirst
// covers the form without the confirmation).
func decisionForm(o orders.Order, comment string) url.Values {
	return url.Values{"version": {strconv.Itoa(o.Version)}, "params_sha256": {o.ParamsSHA256}, "comment": {comment}, "confirmed": {"yes"}}
}

func TestRequesterSeesNoApproveButtonAndCannotForgeOne(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	// Alice may approve other people's orders, but this one is hers.
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester, auth.RoleApprover)
	o := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(o.ID)

	resp, body := alice.get(path + "/approval")
	if resp.StatusCode != http.StatusOK || strings.Contains(body, `data-testid="approve-button"`) ||
		!strings.Contains(body, `data-testid="approval-own-order"`) || !strings.Contains(body, `data-testid="withdraw-button"`) {
		t.Fatalf("requester's own page (%d): approve button shown or own-order note missing\n%s", resp.StatusCode, body)
	}
	// Her own order is not in her inbox either.
	if _, body := alice.get("/approvals"); strings.Contains(body, "inbox-row-"+itoa(o.ID)) {
		t.Fatal("the requester's own order is in her approvals inbox")
	}
	resp, body = alice.post(path+"/approve", decisionForm(o, "self-service"))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "someone else must approve") {
		t.Fatalf("forged self-approval: %d\n%s", resp.StatusCode, body)
	}
	st, _ := orders.NewService(env.pool).ApprovalState(context.Background(), orders.Actor{UserID: aliceUser.ID}, o.ID)
	if len(st.Decisions) != 0 || st.Order.Status != orders.StatusPendingApproval {
		t.Fatalf("after the forged POST: %+v", st)
	}
}

func TestApproverApprovesFromTheInbox(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(o.ID)

	_, body := bob.get("/")
	if !strings.Contains(body, `data-testid="approvals-count">1<`) {
		t.Fatalf("navigation lacks the inbox count of 1:\n%s", body)
	}
	_, body = bob.get("/approvals")
	if !strings.Contains(body, `data-testid="inbox-row-`+itoa(o.ID)+`"`) || !strings.Contains(body, "0 of 1") ||
		!strings.Contains(body, `data-testid="inbox-summary">New purchase: CloudBase Plan baas_personal, 1 month(s)<`) {
		t.Fatalf("inbox lacks the order or its progress:\n%s", body)
	}
	_, body = bob.get(path + "/approval")
	for _, want := range []string{`data-testid="approve-button"`, `data-testid="reject-button"`, `name="params_sha256" value="` + o.ParamsSHA256 + `"`,
		`data-testid="approval-progress">0 of 1<`, `data-testid="approval-requester">alice<`} {
		if !strings.Contains(body, want) {
			t.Fatalf("approver's page lacks %s:\n%s", want, body)
		}
	}
	resp, _ := bob.post(path+"/approve", decisionForm(o, "good value"))
	// The default policy sends at once: the confirmed approval bought, and
	// Bob lands on the order's page, where the outcome shows.
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("approve: %d to %s", resp.StatusCode, location(resp))
	}
	_, body = bob.get(path + "/approval")
	for _, want := range []string{`data-status="approved"`, `data-testid="approval-progress">1 of 1<`, "good value",
		`data-testid="approval-mine"`, "Approved: the order has every approval it needs."} {
		if !strings.Contains(body, want) {
			t.Fatalf("after approving, the page lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, `data-testid="approve-button"`) {
		t.Fatal("an approved order still offers the approve button")
	}
	if _, body = bob.get("/"); strings.Contains(body, `data-testid="approvals-count"`) {
		t.Fatal("the inbox count is still shown with nothing waiting")
	}
}

func TestStaleApprovalComesBackWithWhatChanged(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	v1 := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(v1.ID)

	// Alice edits while Bob reads version 1, and resubmits.
	ctx, svc := context.Background(), orders.NewService(env.pool)
	alice := orders.Actor{UserID: aliceUser.ID, Roles: []string{"requester"}}
	d := orders.Draft{Product: orders.ProductTCB, AccountID: v1.AccountID, Title: "CloudBase for the team",
		Justification: "The team needs it", Params: []byte(strings.Replace(testTCBParams, `"TimeSpan":1`, `"TimeSpan":36`, 1))}
	v2, err := svc.Update(ctx, alice, v1.ID, v1.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Submit(ctx, alice, v2.ID, v2.Version); err != nil {
		t.Fatal(err)
	}

	resp, body := bob.post(path+"/approve", decisionForm(v1, "fine"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "This order changed after you opened it") ||
		!strings.Contains(body, `data-testid="approval-diff"`) || !strings.Contains(body, "TimeSpan") ||
		!strings.Contains(body, `name="version" value="2"`) || !strings.Contains(body, ">fine</textarea>") {
		t.Fatalf("stale approval: %d, want 409 with the message, the diff, the new version and the comment kept\n%s", resp.StatusCode, body)
	}
}

func TestRejectWithoutAReasonKeepsTheFormOpen(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(o.ID)

	resp, body := bob.post(path+"/reject", decisionForm(o, " "))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-comment"`) ||
		!strings.Contains(body, `aria-describedby="comment-error"`) {
		t.Fatalf("reject without reason: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = bob.post(path+"/reject", decisionForm(o, "Use the shared environment"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", resp.StatusCode)
	}
	_, body = bob.get(path + "/approval")
	if !strings.Contains(body, `data-status="rejected"`) || !strings.Contains(body, "Use the shared environment") {
		t.Fatalf("after rejecting:\n%s", body)
	}
}

func TestRequesterWithdrawsSubmitsAndCancels(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	mallory, _ := env.loggedIn("mallory", auth.RoleRequester)
	o := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(o.ID)

	if resp, _ := mallory.post(path+"/withdraw", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("someone else withdraws: %d", resp.StatusCode)
	}
	if resp, _ := alice.post(path+"/withdraw", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	_, body := alice.get(path + "/approval")
	if !strings.Contains(body, `data-status="draft"`) || !strings.Contains(body, `data-testid="submit-button"`) {
		t.Fatalf("after withdrawing:\n%s", body)
	}
	// A stale submit (the version moved on) is refused on the page.
	resp, body := alice.post(path+"/submit", url.Values{"version": {"7"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "you saw version 7") {
		t.Fatalf("stale submit: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := alice.post(path+"/submit", url.Values{"version": {itoa(int64(o.Version))}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	if resp, _ := alice.post(path+"/cancel", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}
	_, body = alice.get(path + "/approval")
	if !strings.Contains(body, `data-status="cancelled"`) || strings.Contains(body, `data-testid="cancel-button"`) {
		t.Fatalf("after cancelling:\n%s", body)
	}
}

func TestOrderViewEmbedsTheApprovalPanel(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	o := env.pendingOrder(aliceUser)
	path := "/orders/" + itoa(o.ID)

	_, body := alice.get(path)
	if !strings.Contains(body, `data-testid="approval-panel"`) || !strings.Contains(body, `data-testid="withdraw-button"`) ||
		strings.Contains(body, `data-testid="approve-button"`) {
		t.Fatalf("the requester's order view lacks the panel or offers an approval:\n%s", body)
	}
	_, body = bob.get(path)
	if !strings.Contains(body, `data-testid="approve-button"`) || !strings.Contains(body, `data-testid="approval-progress">0 of 1<`) {
		t.Fatalf("the approver's order view lacks the decision form:\n%s", body)
	}
}
