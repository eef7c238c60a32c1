package browsertest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// Alice submits her WAF order and Bob approves it, both on its page; the
// console's job queue sends it to the sandbox by itself (the default policy
// sends once approved). The page then shows the purchase, its RequestId
// and deal names, and beside the attempt what the sandbox received: the
// same call, which bought once.
func TestApprovedOrderIsSentAndShowsWhatTheSandboxReceived(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	o := seedSandboxDraft(t, c, "alice", orders.ProductWAF)
	page := fmt.Sprintf("/orders/%d", o.ID)

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	press(alice, "submit-button")
	if got := alice.Text("order-status"); got != "Waiting for approval" {
		t.Fatalf("after submitting: %q", got)
	}

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	// Approved and sent are one click apart only for the queue: refresh
	// until its job has recorded the outcome.
	bob.OpenUntil(page, "order-status", "Succeeded")

	requestID := bob.Text("outcome-request-id")
	deals := bob.Text("outcome-deal-names")
	if requestID == "" || deals == "" || bob.Text("outcome-big-deal-id") == "" {
		t.Fatalf("succeeded WAF order: RequestId %q, deals %q", requestID, deals)
	}
	if got := bob.TextOf("#attempts-heading"); got != "Send attempts, and what the sandbox received" {
		t.Errorf("attempts heading: %q", got)
	}
	if got := bob.Text("sandbox-request-id"); got != requestID {
		t.Errorf("the sandbox's record names RequestId %q, the order %q", got, requestID)
	}
	if got := bob.Text("sandbox-bought"); got != "yes" {
		t.Errorf("the sandbox's record says bought %q", got)
	}
	if got := bob.Text("attempt-hash-match"); !strings.HasPrefix(got, "yes") {
		t.Errorf("the bytes sent against the approved hash: %q", got)
	}
	calls := c.SandboxCalls(t)
	if len(calls) != 1 || !calls[0].Bought || calls[0].RequestID != requestID {
		t.Fatalf("the sandbox received %+v; want one purchase with RequestId %s", calls, requestID)
	}
	if !strings.Contains(deals, calls[0].Orders[0]) {
		t.Errorf("the page shows deals %q, the sandbox made %v", deals, calls[0].Orders)
	}

	// Alice sees the same outcome on her order.
	alice.Open(page)
	if got := alice.Text("outcome-request-id"); got != requestID {
		t.Errorf("Alice sees RequestId %q", got)
	}
}

// The sandbox drops the connection after buying: the CloudBase order is
// unknown. Its page warns everyone; Bob, an approver, records by keyboard
// what he found, is asked for the note he left out, and settles it.
func TestUnknownOrderIsSettledByHandOnItsPage(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	o := seedSandboxDraft(t, c, "alice", orders.ProductTCB)
	page := fmt.Sprintf("/orders/%d", o.ID)
	c.AddSandboxFault(t, tcsim.Fault{Action: "CreateBillDeal", Drop: true, Times: 1})

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	press(alice, "submit-button")
	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Outcome unknown")

	if got := bob.Text("unknown-warning"); !strings.Contains(got, "MAY HAVE BEEN BOUGHT") {
		t.Fatalf("unknown warning: %q", got)
	}
	if got := bob.Text("sandbox-bought"); got != "yes" {
		t.Errorf("what the sandbox received for the dropped call: bought %q", got)
	}
	alice.Open(page)
	if got := alice.Text("settle-not-allowed"); got == "" || alice.HasTestID("settle-form") {
		t.Error("the requester is offered the settle form")
	}

	// By keyboard: in the radio group, the arrow key moves to "not bought"
	// and chooses it; then submit without a note.
	bob.Open(page)
	// Resend and settle are both offered; one of them is the next step.
	if ps := bob.Primaries(); len(ps) != 1 {
		t.Errorf("the unknown order's page styles %q primary; want exactly one", ps)
	}
	bob.Do(
		chromedp.Focus(bt.TestID("settle-result-succeeded")),
		chromedp.KeyEvent(kb.ArrowDown),
	)
	if checked := bt.Run(bob, chromedp.Evaluate[bool](`document.getElementById("result-failed").checked`)); !checked {
		t.Fatal("the arrow key did not choose \"not bought\"")
	}
	press(bob, "settle-button")
	if got := bob.Text("error-note"); !strings.Contains(got, "the note is the evidence") {
		t.Fatalf("settle without a note: %q", got)
	}
	if checked := bt.Run(bob, chromedp.Evaluate[bool](`document.getElementById("result-failed").checked`)); !checked {
		t.Error("the refused form forgot the choice")
	}
	bob.Do(chromedp.SendKeys(bt.TestID("field-note"), "Billing centre shows no CloudBase deal for this account today."))
	press(bob, "settle-button")
	if got := bob.Text("flash"); !strings.Contains(got, "Recorded: not bought") {
		t.Errorf("flash: %q", got)
	}
	if got := bob.Text("order-status"); got != "Failed" {
		t.Fatalf("after settling: %q", got)
	}
	if got := bob.Text("settlement-note"); got != "Billing centre shows no CloudBase deal for this account today." {
		t.Errorf("settlement note: %q", got)
	}
	if calls := c.SandboxCalls(t); len(calls) != 1 {
		t.Errorf("the sandbox received %d calls; settling by hand must send nothing", len(calls))
	}
}

// seedSandboxDraft stores a draft of the user's for product p on the
// account sandbox mode made, as the compose pages would.
func seedSandboxDraft(t *testing.T, c *bt.Console, username string, p orders.Product) orders.Order {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Open(t, c.DatabaseURL)
	u, err := db.GetUserByUsername(ctx, pool, username)
	if err != nil {
		t.Fatal(err)
	}
	var account int64
	if err := pool.QueryRow(ctx, `SELECT id FROM tencentcloud_accounts WHERE name = 'Sandbox'`).Scan(&account); err != nil {
		t.Fatalf("the sandbox account: %v", err)
	}
	o, err := orders.NewService(pool).Compose(ctx, orders.Actor{UserID: u.ID, Roles: u.Roles}, orderstest.Draft(p, account))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// The sandbox drops the answer of a CloudBase purchase it made; the
// periodic bill lookup finds the deal and proposes "bought"; Bob, an
// approver, confirms it with one click and the order is succeeded with the
// deal's name.
func TestBillLookupProposalIsConfirmedOnThePage(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t, "CONSOLE_RECONCILE_EVERY=1s")
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	o := seedSandboxDraft(t, c, "alice", orders.ProductTCB)
	page := fmt.Sprintf("/orders/%d", o.ID)
	c.AddSandboxFault(t, tcsim.Fault{Action: "CreateBillDeal", Drop: true, Times: 1})

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	press(alice, "submit-button")
	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Outcome unknown")
	bob.OpenUntil(page, "bill-headline", "The bill shows it was bought")

	var deal string
	for _, call := range c.SandboxCalls(t) {
		if call.Action == "CreateBillDeal" && call.Bought {
			deal = call.Orders[0]
		}
	}
	if deal == "" || !strings.Contains(bob.Text("bill-reason"), deal) {
		t.Fatalf("the lookup's reason %q does not name the deal %q the sandbox made", bob.Text("bill-reason"), deal)
	}
	if ps := bob.Primaries(); len(ps) != 1 {
		t.Errorf("with the bill's proposal, the page styles %q primary; want exactly one", ps)
	}
	press(bob, "confirm-bought")
	if got := bob.Text("flash"); !strings.Contains(got, "Recorded from the bill: bought ("+deal+")") {
		t.Errorf("flash: %q", got)
	}
	if got := bob.Text("order-status"); got != "Succeeded" {
		t.Fatalf("after confirming: %q", got)
	}
	if got := bob.Text("outcome-deal-names"); got != deal {
		t.Errorf("deal names: %q, want %q", got, deal)
	}
	bought := 0
	for _, call := range c.SandboxCalls(t) {
		if call.Bought {
			bought++
		}
	}
	if bought != 1 {
		t.Errorf("the sandbox made %d purchases; looking up and confirming must buy nothing", bought)
	}
}
