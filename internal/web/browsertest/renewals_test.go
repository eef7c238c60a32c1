package browsertest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	bt "dealdesk/internal/web/browsertest"
)

// Alice buys a Cloud Firewall instance for a month through the sandbox;
// Bob, an approver, finds it on the Renewals page under the sandbox
// account, with the estimate of renewing it, and follows its link to the
// order that renews from; Alice sees her own purchase there, Carol (another
// requester) sees nothing of hers.
func TestRenewalsPageListsWhatExpires(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	carolPW := c.CreateUser(t, "carol", auth.RoleRequester)
	o := seedSandboxDraft(t, c, "alice", orders.ProductBilling)
	page := fmt.Sprintf("/orders/%d", o.ID)

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	press(alice, "submit-button")
	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	bob.OpenUntil(page, "order-status", "Succeeded")
	got, err := orders.NewService(dbtest.Open(t, c.DatabaseURL)).Get(context.Background(), o.ID)
	if err != nil || len(got.Sent.InstanceIDs) != 1 {
		t.Fatalf("the purchase bought %v (err %v), want one instance", got.Sent.InstanceIDs, err)
	}
	instance := got.Sent.InstanceIDs[0]
	row := bt.TestID("renewal-row-" + instance)

	bob.Open("/")
	bob.Do(chromedp.Click(bt.TestID("nav-renewals")), chromedp.WaitVisible(bt.TestID("renewals-heading")))
	// A month is 28 to 31 days: the 60-day window holds it whatever the date.
	bob.Do(chromedp.Click(bt.TestID("renewals-within-60")), chromedp.WaitVisible(row))
	if got := bob.Path(); got != "/renewals?within=60" {
		t.Fatalf("the window link led to %q", got)
	}
	if est := bt.Run(bob, chromedp.Text(row+` [data-testid="renewal-estimate"]`)); est == "" || est == "—" {
		t.Errorf("the renewal's estimate is %q", est)
	}
	if heading := bt.Run(bob, chromedp.Text(chromedp.CSS(`[data-testid="renewals-group"] h2`))); heading == "" {
		t.Error("the group names no account")
	}
	bob.Do(chromedp.Click(row+` [data-testid="renewal-draft"]`), chromedp.WaitVisible(bt.TestID("order-status")))
	if got := bob.Path(); got != page {
		t.Errorf("the renewal link led to %q, want the purchase %q", got, page)
	}

	alice.Open("/renewals?within=60")
	alice.Do(chromedp.WaitVisible(row))
	carol := bt.NewBrowser(t, c)
	carol.Login("carol", carolPW)
	carol.Open("/renewals?within=90")
	carol.Do(chromedp.WaitVisible(bt.TestID("renewals-empty")))
}
