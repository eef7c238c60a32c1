package browsertest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// Under the default policy (one approver, sent at once) Bob's approval
// buys. His button says "Approve and buy"; pressing it buys nothing yet and
// shows the confirmation (summary, account, approvers, version, hash);
// "Not now" leaves the order waiting; only "Approve and buy" on the
// confirmation approves and sends, and lands on the order's page. The
// sandbox answers slowly, so that page shows the send under way and
// reloads itself until it shows the outcome: nobody presses Refresh.
func TestApproveAndBuyConfirmsThenPageRefreshesToTheOutcome(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	o := seedSandboxDraft(t, c, "alice", orders.ProductTCB)
	page := fmt.Sprintf("/orders/%d", o.ID)

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	press(alice, "submit-button")

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page + "/approval")
	if got := bob.Text("approve-button"); !strings.HasPrefix(got, "Approve and buy") {
		t.Fatalf("the approval that buys reads %q", got)
	}
	press(bob, "approve-button")
	if got := bob.Text("confirm-heading"); got != "Approve and buy this now?" {
		t.Fatalf("after Approve and buy: heading %q", got)
	}
	if got := bob.Text("confirm-approvers"); !strings.Contains(got, "(you, now)") {
		t.Errorf("approvers on the confirmation: %q", got)
	}
	if got := bob.Text("confirm-hash"); got != o.ParamsSHA256 {
		t.Errorf("hash on the confirmation: %q, want %q", got, o.ParamsSHA256)
	}
	if n := purchaseCalls(t, c); n != 0 {
		t.Fatalf("the sandbox received %d purchase calls before the confirmation", n)
	}
	// "Not now": back to the approval page, still waiting.
	press(bob, "send-confirm-cancel")
	if got := bob.Text("order-status"); got != "Waiting for approval" {
		t.Fatalf("after Not now the order is %q", got)
	}

	// Slow enough that the order's page is opened before the outcome.
	c.AddSandboxFault(t, tcsim.Fault{Action: "CreateBillDeal", Latency: 3 * time.Second, Times: 1})
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	// Confirming lands on the order's own page: no link to follow.
	if got := bob.Path(); got != page {
		t.Fatalf("after confirming, Bob is on %q, want the order's page %q", got, page)
	}
	if !bob.HasTestID("send-refresh") {
		t.Fatalf("the order's page, while sending, offers no Refresh; status %q", bob.Text("order-status"))
	}
	refresh := bt.Run(bob, chromedp.Evaluate[bool](`document.querySelector('meta[http-equiv="refresh"]') !== null`))
	if !refresh {
		t.Fatal("the order's page while sending does not refresh itself")
	}
	// No navigation from the test: the page's own refresh brings the
	// outcome.
	bob.Do(chromedp.WaitVisible(bt.TestID("outcome-request-id")))
	if got := bob.Text("order-status"); got != "Succeeded" {
		t.Fatalf("after refreshing itself the page says %q", got)
	}
	if bob.HasTestID("send-refresh") || bt.Run(bob, chromedp.Evaluate[bool](`document.querySelector('meta[http-equiv="refresh"]') !== null`)) {
		t.Error("the finished order's page still refreshes itself")
	}
	if n := purchaseCalls(t, c); n != 1 {
		t.Fatalf("the sandbox received %d purchase calls; want one", n)
	}
}

// purchaseCalls counts the sandbox's CreateBillDeal calls (the funds
// check's DescribeAccountBalance buys nothing).
func purchaseCalls(t *testing.T, c *bt.Console) int {
	n := 0
	for _, call := range c.SandboxCalls(t) {
		if call.Action == "CreateBillDeal" {
			n++
		}
	}
	return n
}
