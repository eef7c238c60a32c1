package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

func TestMain(m *testing.M) { bt.Main(m) }

func TestLoginSeeHomeLogout(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "alice", auth.RoleRequester)
	b := bt.NewBrowser(t, c)

	// Anonymous: the home page sends us to sign in.
	b.Open("/")
	if got := b.Path(); got != "/login" {
		t.Fatalf("anonymous visitor on / ended at %q, want /login", got)
	}
	b.Login("alice", pw)
	if got := b.Text("current-user"); got != "Alice" {
		t.Errorf("navigation shows %q, want the display name Alice", got)
	}
	if got := b.Path(); got != "/" {
		t.Errorf("after signing in the browser is at %q, want /", got)
	}

	b.Do(chromedp.Click(bt.TestID("logout-button")), chromedp.WaitVisible(bt.TestID("signed-out")))
	if got := b.Path(); got != "/login?signed_out=1" {
		t.Errorf("after signing out the browser is at %q", got)
	}
	// Signed out for real: the home page asks to sign in again.
	b.Open("/")
	b.Do(chromedp.WaitVisible(bt.TestID("login-heading")))
}

func TestWrongPasswordShowsTheError(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	c.CreateUser(t, "bob", auth.RoleApprover)
	b := bt.NewBrowser(t, c)

	b.SubmitLogin("bob", "not bob's password at all")
	if got := b.Text("form-error"); got != auth.LoginFailedMessage {
		t.Errorf("error %q, want %q", got, auth.LoginFailedMessage)
	}
	// The username is kept; the password is not sent back.
	if got := bt.Run(b, chromedp.Value(bt.TestID("field-username"))); got != "bob" {
		t.Errorf("username field holds %q after the error", got)
	}
	if got := bt.Run(b, chromedp.Value(bt.TestID("field-password"))); got != "" {
		t.Error("the password field was filled back in")
	}
	b.Do(chromedp.WaitNotPresent(bt.TestID("current-user")))
}

func TestRequesterGetsForbiddenOnAdminPage(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "carol", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Login("carol", pw)

	// A requester has no admin link, and typing the address is refused.
	b.Do(chromedp.WaitNotPresent(bt.TestID("nav-admin")))
	if status := b.Open("/admin/users"); status != http.StatusForbidden {
		t.Errorf("status %d, want 403", status)
	}
	if got := b.Text("error-heading"); got != "Forbidden" {
		t.Errorf("heading %q, want Forbidden", got)
	}
	b.Do(chromedp.WaitNotPresent(bt.TestID("users-table")))
}
