package browsertest_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// A person finds their notification preferences in the navigation, turns
// one event off, and finds it off when they come back.
func TestAPersonTurnsANotificationOff(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "bob", auth.RoleApprover)
	b := bt.NewBrowser(t, c)
	b.Login("bob", pw)

	b.Open("/")
	b.Do(chromedp.Click(bt.TestID("nav-notifications")), chromedp.WaitVisible(bt.TestID("notifications-heading")))
	if got := b.Path(); got != "/account/notifications" {
		t.Fatalf("the navigation led to %q", got)
	}
	// No SMTP server and no address: the page says why nothing arrives.
	b.Do(chromedp.WaitVisible(bt.TestID("notifications-mail-off")), chromedp.WaitVisible(bt.TestID("notifications-no-address")))
	if got := bt.Run(b, chromedp.Value(bt.TestID("pref-needs_approval"))); got != "email" {
		t.Fatalf("needs approval starts as %q, want email", got)
	}
	b.Do(
		chromedp.SetValue(bt.TestID("pref-needs_approval"), "none"),
		chromedp.Click(bt.TestID("notifications-submit")),
		chromedp.WaitVisible(bt.TestID("flash")),
	)
	if got := b.Text("flash"); got != "Notification preferences saved." {
		t.Errorf("flash %q", got)
	}
	b.Open("/account/notifications")
	if got := bt.Run(b, chromedp.Value(bt.TestID("pref-needs_approval"))); got != "none" {
		t.Errorf("needs approval is %q after turning it off, want none", got)
	}
	if got := bt.Run(b, chromedp.Value(bt.TestID("pref-unknown"))); got != "email" {
		t.Errorf("unknown is %q, want it left as e-mail", got)
	}
}
