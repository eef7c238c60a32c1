package browsertest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// Ada, an admin, raises the CloudBase team plan to 123.45 CNY a month by
// uploading a CSV. Tess composes a team plan and sees that estimate in the
// preview; Bob approves it reading the estimate and the funds check; it is
// sent, and the console's in-process sandbox charged exactly the estimate:
// it charges from the console's own list, changed a minute ago.
func TestEstimateFromPriceListToSandboxCharge(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	adaPW := c.CreateUser(t, "ada", auth.RoleAdmin)
	tessPW := c.CreateUser(t, "tess", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)

	ada := bt.NewBrowser(t, c)
	ada.Login("ada", adaPW)
	csv := "line,item,monthly_cny,effective_from\n" +
		"tcb,baas_personal,19.90,2000-01-01\n" +
		"tcb,baas_team,123.45,2000-01-01\n"
	file := filepath.Join(t.TempDir(), "prices.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	ada.Open("/admin/prices")
	// The seeded list's version (each seed migration adds one): the import
	// is the next.
	var seeded int
	if _, err := fmt.Sscanf(ada.Text("prices-version"), "Version %d", &seeded); err != nil || seeded < 1 {
		t.Fatalf("the seeded version: %q %v", ada.Text("prices-version"), err)
	}
	ada.Do(
		chromedp.SetUploadFiles(bt.TestID("prices-file"), []string{file}),
		chromedp.SendKeys(bt.TestID("prices-note"), "Team plan at its new price"),
	)
	press(ada, "prices-submit")
	if got := ada.Text("prices-version"); !strings.Contains(got, fmt.Sprintf("Version %d,", seeded+1)) {
		t.Fatalf("after the import: %q", got)
	}

	tess := bt.NewBrowser(t, c)
	tess.Login("tess", tessPW)
	tess.Open("/orders/new/tcb")
	tess.Do(
		chromedp.WaitVisible(bt.TestID("field-title")),
		chromedp.SendKeys(bt.TestID("field-title"), "CloudBase team plan"),
		chromedp.SendKeys(bt.TestID("field-justification"), "The team outgrew the personal plan."),
		chromedp.SetValue(bt.TestID("field-PackageId"), "baas_team"),
	)
	press(tess, "order-preview")
	if got := tess.Text("estimate-total"); got != "123.45 CNY" {
		t.Fatalf("preview estimate %q", got)
	}
	press(tess, "order-save")
	page := tess.Path()
	if got := tess.Text("estimate-total"); got != "123.45 CNY" {
		t.Fatalf("order page estimate %q", got)
	}
	press(tess, "submit-button")

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page + "/approval")
	if got := bob.Text("estimate-total"); got != "123.45 CNY" {
		t.Fatalf("approval page estimate %q", got)
	}
	if got := bob.Text("funds-verdict"); !strings.HasPrefix(got, "Enough") {
		t.Fatalf("funds check: %q", got)
	}
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Succeeded")
	var deals int
	for _, call := range c.SandboxCalls(t) {
		if call.Action != "CreateBillDeal" {
			continue // the funds check's DescribeAccountBalance
		}
		deals++
		if !call.Bought || call.Charged != 12345 {
			t.Fatalf("the sandbox charged %d fen (bought %v); the estimate was 12345", call.Charged, call.Bought)
		}
	}
	if deals != 1 {
		t.Fatalf("%d CreateBillDeal calls", deals)
	}
}
