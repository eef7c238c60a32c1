package browsertest_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// Tess composes a CloudBase plan without "Pay at once": the form and its
// preview say, before saving, that it buys nothing yet. Approved and sent,
// it ends "Ordered, awaiting payment", never succeeded, with what to do
// next; Bob, an approver, records that the deal was paid.
func TestCloudBaseWithoutPaymentAwaitsItAndAnApproverSettlesIt(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	tessPW := c.CreateUser(t, "tess", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	tess := bt.NewBrowser(t, c)
	tess.Login("tess", tessPW)
	tess.Open("/orders/new/tcb")
	tess.Do(
		chromedp.WaitVisible(bt.TestID("field-title")),
		chromedp.SendKeys(bt.TestID("field-title"), "CloudBase plan, paid later"),
		chromedp.SendKeys(bt.TestID("field-justification"), "Finance pays CloudBase orders by hand."),
		chromedp.SetValue(bt.TestID("field-PackageId"), "baas_personal"),
		chromedp.SetValue(bt.TestID("field-CreateAndPay"), "false"),
	)
	press(tess, "order-preview")
	if got := tess.Text("tcb-unpaid-note"); !strings.Contains(got, "buys nothing yet") {
		t.Fatalf("the form does not say an unpaid order buys nothing: %q", got)
	}
	if got := tess.Text("preview-unpaid-note"); !strings.Contains(got, "awaiting payment") {
		t.Fatalf("the preview does not say the order will await payment: %q", got)
	}
	press(tess, "order-save")
	page := tess.Path()
	if !strings.HasPrefix(page, "/orders/") {
		t.Fatalf("after saving: %s", page)
	}
	press(tess, "submit-button")

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Ordered, awaiting payment")
	if got := bob.Text("awaiting-payment-notice"); !strings.Contains(got, "nothing is bought yet") {
		t.Fatalf("awaiting payment notice: %q", got)
	}
	if got := bob.Text("awaiting-payment-steps"); !strings.Contains(got, "Pay the order") {
		t.Errorf("what to do next: %q", got)
	}
	calls := c.SandboxCalls(t)
	if len(calls) != 1 || calls[0].Bought {
		t.Fatalf("the sandbox received %+v; want one call that charged nothing", calls)
	}
	tess.Open(page)
	if tess.HasTestID("payment-form") {
		t.Error("the requester is offered the payment form")
	}

	bob.Do(chromedp.Click(bt.TestID("payment-result-paid")))
	bob.Do(chromedp.SendKeys(bt.TestID("field-note"), "Paid in the Billing Center by finance, order 20261129."))
	press(bob, "payment-button")
	if got := bob.Text("order-status"); got != "Succeeded" {
		t.Fatalf("after recording the payment: %q", got)
	}
	if got := bob.Text("outcome-paid"); !strings.Contains(got, "was paid") {
		t.Errorf("outcome: %q", got)
	}
	if got := bob.Text("settlement-note"); got != "Paid in the Billing Center by finance, order 20261129." {
		t.Errorf("settlement note: %q", got)
	}
}
