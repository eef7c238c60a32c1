package browsertest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	bt "dealdesk/internal/web/browsertest"
)

// TestSubmitApproveWithTwoPeople: Alice submits her order, sees no approve
// button on it and has a forged approval refused; Bob approves it from his
// inbox; both see it approved. The policy's webhook, a server in this test,
// hears both steps from the console's job queue.
func TestSubmitApproveWithTwoPeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester, auth.RoleApprover)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)

	notices := make(chan string, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Event string }
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		notices <- body.Event
	}))
	t.Cleanup(hook.Close)
	o := seedDraft(t, c, "alice", hook.URL)
	page := fmt.Sprintf("/orders/%d/approval", o.ID)

	// Alice submits her draft.
	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	alice.Do(chromedp.Click(bt.TestID("submit-button")), chromedp.WaitVisible(bt.TestID("withdraw-button")))
	if got := alice.Text("order-status"); got != "Waiting for approval" {
		t.Fatalf("after submitting the order is %q", got)
	}
	// She approves other people's orders, but sees no button on her own.
	alice.Do(chromedp.WaitVisible(bt.TestID("approval-own-order")), chromedp.WaitNotPresent(bt.TestID("approve-button")))

	// A forged POST from her own signed-in browser, with a valid CSRF token
	// and the right version and hash, is refused.
	forge := fmt.Sprintf(`(() => {
		const f = document.createElement('form');
		f.method = 'post';
		f.action = '/orders/%d/approve';
		const fields = {_csrf: document.querySelector('input[name=_csrf]').value, version: '%d', params_sha256: '%s', comment: 'mine'};
		for (const [name, value] of Object.entries(fields)) {
			const i = document.createElement('input');
			i.type = 'hidden'; i.name = name; i.value = value;
			f.appendChild(i);
		}
		document.body.appendChild(f);
		f.submit();
		return true;
	})()`, o.ID, o.Version, o.ParamsSHA256)
	bt.Run(alice, chromedp.Evaluate[bool](forge))
	if got := alice.Text("error-heading"); got != "Forbidden" {
		t.Fatalf("forged self-approval answered %q, want Forbidden", got)
	}
	if got := alice.Text("error-message"); !strings.Contains(got, "someone else must approve") {
		t.Errorf("forged self-approval says %q", got)
	}

	// Bob finds it in his inbox and approves it.
	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	if got := bob.Text("approvals-count"); got != "1" {
		t.Fatalf("Bob's navigation counts %q waiting, want 1", got)
	}
	bob.Do(chromedp.Click(bt.TestID("nav-approvals")), chromedp.WaitVisible(bt.TestID(fmt.Sprintf("inbox-row-%d", o.ID))))
	bob.Do(chromedp.Click(bt.TestID(fmt.Sprintf("inbox-row-%d", o.ID))+" a"), chromedp.WaitVisible(bt.TestID("approve-button")))
	if got := bob.Text("approval-progress"); got != "0 of 1" {
		t.Errorf("progress before approving: %q", got)
	}
	bob.Do(
		chromedp.SendKeys(bt.TestID("field-comment"), "Within budget"),
		chromedp.Click(bt.TestID("approve-button")),
		chromedp.WaitVisible(bt.TestID("approval-mine")),
	)
	if got := bob.Text("order-status"); got != "Approved" {
		t.Fatalf("after Bob approved, the order is %q", got)
	}
	if got := bob.Text("approval-progress"); got != "1 of 1" {
		t.Errorf("progress after approving: %q", got)
	}
	// The policy sends by hand: where Bob lands offers Send now, which
	// leads to its confirmation (and buys nothing by itself).
	bob.Do(chromedp.Click(bt.TestID("approval-send-now")), chromedp.WaitVisible(bt.TestID("send-confirm-button")))
	if got, want := bob.Path(), fmt.Sprintf("/orders/%d/send", o.ID); got != want {
		t.Errorf("Send now led to %q, want %q", got, want)
	}

	// Alice sees it approved, with Bob's decision.
	alice.Open(page)
	if got := alice.Text("order-status"); got != "Approved" {
		t.Fatalf("Alice sees the order %q", got)
	}
	if got := alice.Text("approval-decisions"); !strings.Contains(got, "Bob") || !strings.Contains(got, "Within budget") {
		t.Errorf("decisions: %q", got)
	}

	// The only decision is Bob's: the forged one left nothing behind.
	pool := dbtest.Open(t, c.DatabaseURL)
	decisions, err := db.ListApprovals(ctx, pool, o.ID)
	if err != nil || len(decisions) != 1 || decisions[0].ApproverUsername != "bob" {
		t.Fatalf("decisions stored: %+v, %v", decisions, err)
	}

	// The console's job queue told the webhook both steps.
	for _, want := range []string{"needs_approval", "approved"} {
		select {
		case got := <-notices:
			if got != want {
				t.Errorf("webhook heard %q, want %q", got, want)
			}
		case <-time.After(60 * time.Second): // a guard against hanging, not a timing assertion
			t.Fatalf("the webhook never heard %q", want)
		}
	}

	// Alice composes the very same purchase again. Bob is warned, and his
	// approval needs "I have checked this is not a duplicate".
	svc := orders.NewService(pool)
	aliceUser, err := db.GetUserByUsername(ctx, pool, "alice")
	if err != nil {
		t.Fatal(err)
	}
	alicesActor := orders.Actor{UserID: aliceUser.ID, Roles: aliceUser.Roles}
	again, err := svc.Compose(ctx, alicesActor, orders.Draft{Product: o.Product, AccountID: o.AccountID,
		Title: "CloudBase for the team, again", Justification: o.Justification, Params: o.Params})
	if err != nil {
		t.Fatal(err)
	}
	if again, err = svc.Submit(ctx, alicesActor, again.ID, again.Version); err != nil {
		t.Fatal(err)
	}
	bob.Open(fmt.Sprintf("/orders/%d/approval", again.ID))
	if got := bob.Text("duplicate-warning"); !strings.Contains(got, fmt.Sprintf("Order #%d", o.ID)) {
		t.Fatalf("duplicate warning: %q, want it to name order #%d", got, o.ID)
	}
	bob.Do(chromedp.Click(bt.TestID("approve-button")), chromedp.WaitVisible(bt.TestID("error-not-duplicate")))
	if got := bob.Text("order-status"); got != "Waiting for approval" {
		t.Fatalf("approved without the tick: the order is %q", got)
	}
	bob.Do(
		chromedp.Click(bt.TestID("field-not-duplicate")),
		chromedp.Click(bt.TestID("approve-button")),
		chromedp.WaitVisible(bt.TestID("approval-mine")),
	)
	if got := bob.Text("order-status"); got != "Approved" {
		t.Fatalf("after Bob ticked and approved, the order is %q", got)
	}
}

// seedDraft stores an account, a policy with the webhook and a CloudBase
// draft of the user's, as the compose pages would. The policy does not send
// on approval: this test is about approving, and its account has no keys,
// so an automatic send would move the order on to failed.
func seedDraft(t *testing.T, c *bt.Console, username, webhook string) orders.Order {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Open(t, c.DatabaseURL)
	u, err := db.GetUserByUsername(ctx, pool, username)
	if err != nil {
		t.Fatal(err)
	}
	var account int64
	if err := pool.QueryRow(ctx, `INSERT INTO tencentcloud_accounts (name, key_source) VALUES ('team', 'environment') RETURNING id`).Scan(&account); err != nil {
		t.Fatal(err)
	}
	svc := orders.NewService(pool)
	if _, err := svc.SavePolicy(ctx, orders.Actor{UserID: u.ID, Roles: []string{"admin"}}, 0, orders.PolicyInput{
		Product: orders.ProductTCB, RequiredApprovers: 1, AutoSend: false, WebhookURL: webhook, WebhookFormat: orders.WebhookGeneric,
	}); err != nil {
		t.Fatal(err)
	}
	o, err := svc.Compose(ctx, orders.Actor{UserID: u.ID, Roles: u.Roles}, orders.Draft{
		Product: orders.ProductTCB, AccountID: account, Title: "CloudBase for the team", Justification: "The team needs it",
		Params: []byte(`{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}
