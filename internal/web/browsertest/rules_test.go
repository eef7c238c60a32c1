package browsertest_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	bt "dealdesk/internal/web/browsertest"
)

// TestTwoStageRuleOnACloudBaseOrder: an admin makes groups platform and
// finance on their pages and a rule "1 from platform, then 1 from
// finance" on the CloudBase policy's rules page; Alice's order waits for
// platform (finance is told it is not their stage), then for finance, and
// is approved once both have decided, each stage naming who decided.
func TestTwoStageRuleOnACloudBaseOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := bt.StartConsole(t)
	adminPW := c.CreateUser(t, "root", auth.RoleAdmin)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	paulPW := c.CreateUser(t, "paul", auth.RoleApprover)
	finnPW := c.CreateUser(t, "finn", auth.RoleApprover)
	o := seedDraft(t, c, "alice", "")

	admin := bt.NewBrowser(t, c)
	admin.Login("root", adminPW)
	groupIDs := map[string]string{}
	for name, member := range map[string]string{"platform": "paul", "finance": "finn"} {
		admin.Open("/admin/groups")
		admin.Do(
			chromedp.SendKeys(bt.TestID("field-name"), name),
			chromedp.Click(bt.TestID("group-submit")),
			chromedp.WaitVisible(bt.TestID("member-form")),
			chromedp.SendKeys(bt.TestID("field-username"), member),
			chromedp.Click(bt.TestID("member-submit")),
			chromedp.WaitVisible(bt.TestID("member-"+member)),
		)
		groupIDs[name] = admin.Path()[strings.LastIndexByte(admin.Path(), '/')+1:]
	}
	pool := dbtest.Open(t, c.DatabaseURL)
	policies, err := db.ListApprovalPolicies(ctx, pool)
	if err != nil || len(policies) != 1 {
		t.Fatalf("policies: %+v, %v", policies, err)
	}
	admin.Open(fmt.Sprintf("/admin/policies/%d/rules", policies[0].ID))
	admin.Do(
		chromedp.SendKeys(bt.TestID("field-name"), "platform then finance"),
		chromedp.SendKeys(bt.TestID("field-condition"), `product == "tcb" && has_estimate`),
		chromedp.SetValue(chromedp.CSS("#stage_group_1"), groupIDs["platform"]),
		chromedp.SetValue(chromedp.CSS("#stage_count_1"), "1"),
		chromedp.SetValue(chromedp.CSS("#stage_group_2"), groupIDs["finance"]),
		chromedp.SetValue(chromedp.CSS("#stage_count_2"), "1"),
		chromedp.Click(bt.TestID("rule-submit")),
		chromedp.WaitVisible(bt.TestID("rule-1")),
	)
	if got := admin.Text("rule-1"); !strings.Contains(got, "1 from platform") || !strings.Contains(got, "then 1 from finance") {
		t.Fatalf("the rule as listed: %q", got)
	}
	// The test box evaluates it against the existing order.
	admin.Do(
		chromedp.SendKeys(bt.TestID("field-test_condition"), `product == "tcb" && has_estimate`),
		chromedp.SendKeys(bt.TestID("field-test_order"), strconv.FormatInt(o.ID, 10)),
		chromedp.Click(bt.TestID("rule-test-submit")),
		chromedp.WaitVisible(bt.TestID("rule-test-result")),
	)
	if got := admin.Text("rule-test-decides"); got != "platform then finance" {
		t.Fatalf("the test box says the order would be held to %q", got)
	}

	page := fmt.Sprintf("/orders/%d/approval", o.ID)
	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	alice.Do(chromedp.Click(bt.TestID("submit-button")), chromedp.WaitVisible(bt.TestID("approval-stages")))
	if got := alice.Text("approval-rule-name"); got != "platform then finance" {
		t.Fatalf("the order page names rule %q", got)
	}

	finn := bt.NewBrowser(t, c)
	finn.Login("finn", finnPW)
	finn.Open(page)
	finn.Do(chromedp.WaitVisible(bt.TestID("approval-cannot-decide")), chromedp.WaitNotPresent(bt.TestID("approve-button")))
	if got := finn.Text("approval-cannot-decide"); !strings.Contains(got, "platform") {
		t.Fatalf("finance in the platform stage is told %q", got)
	}

	paul := bt.NewBrowser(t, c)
	paul.Login("paul", paulPW)
	paul.Open(page)
	paul.Do(chromedp.Click(bt.TestID("approve-button")), chromedp.WaitVisible(bt.TestID("approval-mine")))
	if got := paul.Text("order-status"); got != "Waiting for approval" {
		t.Fatalf("after the platform stage the order is %q", got)
	}
	if got := paul.Text("approval-stage-1"); !strings.Contains(got, "approved by") || !strings.Contains(got, "(done)") {
		t.Errorf("stage 1 after Paul: %q", got)
	}

	finn.Open(page)
	finn.Do(chromedp.Click(bt.TestID("approve-button")), chromedp.WaitVisible(bt.TestID("approval-mine")))
	if got := finn.Text("order-status"); got != "Approved" {
		t.Fatalf("after both stages the order is %q", got)
	}
	if got := finn.Text("approval-stage-2"); !strings.Contains(got, "(done)") || !strings.Contains(got, "approved by") {
		t.Errorf("stage 2 after Finn: %q", got)
	}
	if got, _ := orders.NewService(pool).Get(ctx, o.ID); got.Status != orders.StatusApproved {
		t.Fatalf("stored status %s", got.Status)
	}
}
