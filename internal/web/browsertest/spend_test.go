package browsertest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// Issue 16's journey end to end: Ada, an admin, keeps a cost centre and a
// monthly budget for the sandbox account; Tess composes a CloudBase plan for
// that cost centre and sees its estimate; Bob approves it reading the budget
// panel (what is left before and after this order); it is sent, the bill
// job reads what the sandbox billed, the order shows billed == estimate, and
// the spend page counts it.
func TestBudgetPanelThenBilledEqualsEstimateOnTheSpendPage(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t, "CONSOLE_RECONCILE_EVERY=1s")
	adaPW := c.CreateUser(t, "ada", auth.RoleAdmin)
	tessPW := c.CreateUser(t, "tess", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)

	ada := bt.NewBrowser(t, c)
	ada.Login("ada", adaPW)
	ada.Open("/admin/budgets")
	ada.Do(chromedp.SendKeys(bt.TestID("field-name"), "platform"))
	press(ada, "cost-centre-create")
	// The budget: the first account, the new cost centre, a month, 5,000 CNY.
	pick := func(id, text string) {
		t.Helper()
		js := fmt.Sprintf(`(() => { const s = document.getElementById(%q);
			const o = [...s.options].find(o => o.value !== "" && (%q === "" || o.textContent.includes(%q)));
			if (!o) return false; s.value = o.value; return true })()`, id, text, text)
		if !bt.Run(ada, chromedp.Evaluate[bool](js)) {
			t.Fatalf("no option %q in #%s", text, id)
		}
	}
	pick("account_id", "")
	pick("cost_centre_id", "platform")
	pick("period", "")
	ada.Do(chromedp.SendKeys(bt.TestID("field-limit"), "5000"))
	press(ada, "budget-create")
	if got := ada.TextOf(`[data-testid="budgets-table"]`); !strings.Contains(got, "platform") {
		t.Fatalf("budgets after adding one: %q", got)
	}

	tess := bt.NewBrowser(t, c)
	tess.Login("tess", tessPW)
	tess.Open("/orders/new/tcb")
	tess.Do(
		chromedp.WaitVisible(bt.TestID("field-title")),
		chromedp.SendKeys(bt.TestID("field-title"), "CloudBase plan for platform"),
		chromedp.SendKeys(bt.TestID("field-justification"), "The platform team's environment."),
		chromedp.SetValue(bt.TestID("field-PackageId"), "baas_team"),
	)
	centre := (`(() => { const s = document.getElementById("cost_centre_id");
		const o = [...s.options].find(o => o.textContent.includes("platform"));
		if (!o) return false; s.value = o.value; return true })()`)
	if !bt.Run(tess, chromedp.Evaluate[bool](centre)) {
		t.Fatal("the order form offers no cost centre platform")
	}
	press(tess, "order-preview")
	press(tess, "order-save")
	page := tess.Path()
	estimate := tess.Text("estimate-total")
	if estimate == "" || !strings.ContainsAny(estimate, "123456789") {
		t.Fatalf("order page estimate %q", estimate)
	}
	press(tess, "submit-button")

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page + "/approval")
	if got := bob.Text("budget-estimate"); !strings.Contains(got, strings.TrimSpace(strings.TrimPrefix(estimate, "−"))) {
		t.Fatalf("the budget panel counts %q for this order; its estimate is %q", got, estimate)
	}
	before, after := bob.Text("budget-left-before"), bob.Text("budget-left-after")
	if before == after {
		t.Fatalf("the budget panel leaves %q before and %q after this order", before, after)
	}
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Succeeded")

	// The bill job (every second here) reads the deal the sandbox billed.
	bob.OpenUntil(page, "bill-billed", estimate)
	if got := bob.Text("bill-estimate"); got != estimate {
		t.Fatalf("the bill box's estimate %q, the order's %q", got, estimate)
	}

	ada.Open("/spend")
	pick("account", "")
	pick("cost_centre", "platform")
	press(ada, "spend-show")
	if got := ada.TextOf(`[data-testid="spend-largest"]`); !strings.Contains(got, "CloudBase plan for platform") || !strings.Contains(got, estimate) {
		t.Fatalf("the spend page's largest orders: %q (want the order at %s)", got, estimate)
	}
	if got := ada.Text("spend-total"); !strings.Contains(got, estimate) {
		t.Fatalf("the spend page's total %q, the order billed %s", got, estimate)
	}
}
