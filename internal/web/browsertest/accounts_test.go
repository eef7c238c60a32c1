package browsertest_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

func TestAdminChecksTheSandboxAccountAndAddsAnother(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "root", auth.RoleAdmin)
	b := bt.NewBrowser(t, c)
	b.Login("root", pw)

	// The console made the sandbox account at start (the first account);
	// the in-process sandbox accepts its keys.
	b.Do(chromedp.Click(bt.TestID("nav-accounts")), chromedp.WaitVisible(bt.TestID("accounts-table")))
	if got := b.Text("account-sandbox-1"); got != "sandbox" {
		t.Fatalf("sandbox badge %q", got)
	}
	b.Do(chromedp.Click(bt.TestID("account-link-1")), chromedp.WaitVisible(bt.TestID("account-heading")))
	b.Do(chromedp.Click(bt.TestID("account-check")))
	if got := b.Text("check-balance"); got != "1,000,000.00" {
		t.Errorf("balance %q", got)
	}

	// Another account, with made-up keys the sandbox has never heard of.
	b.Open("/admin/accounts")
	b.Do(
		chromedp.Click(bt.TestID("new-account")),
		chromedp.WaitVisible(bt.TestID("account-new-form")),
		chromedp.SendKeys(bt.TestID("field-name"), "Security team"),
		chromedp.SendKeys(bt.TestID("field-secret_id"), "AKIDbrowserTESTunknown00000000000009"),
		chromedp.SendKeys(bt.TestID("field-secret_key"), "BrowserTestSecretKey000000000009"),
		chromedp.Click(bt.TestID("account-new-submit")),
	)
	if got := b.Text("account-secret-id"); got != "AKID****0009" {
		t.Errorf("masked SecretId %q", got)
	}
	if got := b.Text("flash"); !strings.HasPrefix(got, "Added the account Security team.") {
		t.Errorf("flash %q", got)
	}
	b.Do(chromedp.Click(bt.TestID("account-check")))
	if got := b.Text("check-error-code"); got != "AuthFailure.SecretIdNotFound" {
		t.Errorf("error code %q", got)
	}
	if got := b.Text("check-explanation"); got != "The SecretId does not exist or has been disabled." {
		t.Errorf("explanation %q", got)
	}
	if got := b.Text("check-request-id"); len(got) != 36 {
		t.Errorf("RequestId %q", got)
	}

	// A taken name comes back next to its field, and the SecretKey is not
	// filled back in.
	b.Open("/admin/accounts/new")
	b.Do(
		chromedp.WaitVisible(bt.TestID("account-new-form")),
		chromedp.SendKeys(bt.TestID("field-name"), "security TEAM"),
		chromedp.SendKeys(bt.TestID("field-secret_id"), "AKIDbrowserTESTunknown00000000000010"),
		chromedp.SendKeys(bt.TestID("field-secret_key"), "BrowserTestSecretKey000000000010"),
		chromedp.Click(bt.TestID("account-new-submit")),
	)
	if got := b.Text("error-name"); !strings.HasPrefix(got, "Another account has this name") {
		t.Errorf("name error %q", got)
	}
	if got := bt.Run(b, chromedp.Value(bt.TestID("field-secret_key"))); got != "" {
		t.Error("the SecretKey was filled back in")
	}
	if got := bt.Run(b, chromedp.Value(bt.TestID("field-secret_id"))); got != "AKIDbrowserTESTunknown00000000000010" {
		t.Errorf("SecretId kept as %q", got)
	}
}
