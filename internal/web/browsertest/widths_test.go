package browsertest_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// widthPages are the pages every role set reaches without an order to show.
var widthPages = []string{
	"/", "/orders", "/orders/new", "/orders/new/waf", "/orders/new/billing", "/orders/new/billing_renew", "/orders/new/tcb",
	"/approvals", "/admin/users", "/admin/users/new", "/admin/accounts", "/admin/accounts/new",
	"/admin/policies", "/admin/policies/new", "/audit", "/audit/verify", "/account/password", "/account/profile",
}

// No page is wider than the screen, at a desktop's 1366 px or a phone's
// 390 px (document.documentElement.scrollWidth): tables, forms and the
// header fit or scroll inside their own box. At 390 px the navigation
// folds behind "Menu" and opens without a script. With DEALDESK_SCREENSHOTS
// set to a folder (make screenshots), every page is saved there at both
// widths, in English and in Chinese (switched by the navigation's language
// switch, a form without script: each page's <html lang> must follow).
func TestPagesFitDesktopAndPhone(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "wendy", auth.RoleRequester, auth.RoleApprover, auth.RoleAdmin, auth.RoleAuditor)
	b := bt.NewBrowser(t, c)
	b.Login("wendy", pw)
	shots := os.Getenv("DEALDESK_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	for _, lang := range []string{"en", "zh-CN"} {
		b.Do(chromedp.EmulateViewport(1366, 844))
		b.Open("/")
		if bt.Run(b, chromedp.Evaluate[string](`document.documentElement.lang`)) != lang {
			b.Do(chromedp.Click(bt.TestID("switch-to-"+lang)), chromedp.WaitVisible(bt.TestID("switch-to-en")+", "+bt.TestID("switch-to-zh-CN")))
		}
		for _, width := range []int64{1366, 390} {
			b.Do(chromedp.EmulateViewport(width, 844))
			for _, path := range widthPages {
				if status := b.Open(path); status != 200 {
					t.Errorf("%s: status %d", path, status)
					continue
				}
				b.Do(chromedp.WaitVisible(bt.TestID("site-menu")))
				if got := bt.Run(b, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
					t.Errorf("%s: <html lang=%q>, want %q", path, got, lang)
				}
				if w := bt.Run(b, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); w > width {
					t.Errorf("%s at %d px is %d px wide", path, width, w)
				}
				if ps := b.Primaries(); len(ps) > 1 {
					t.Errorf("%s: %d buttons styled primary (%q): a page has one next step", path, len(ps), ps)
				}
				if shots != "" {
					png := bt.Run(b, chromedp.FullScreenshot(100))
					name := strings.Trim(strings.ReplaceAll(path, "/", "_"), "_")
					if name == "" {
						name = "home"
					}
					if err := os.WriteFile(filepath.Join(shots, name+"-"+lang+"-"+strconv.FormatInt(width, 10)+".png"), png, 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	// Back to English for the checks below, through the switch again.
	b.Do(chromedp.EmulateViewport(1366, 844))
	b.Open("/")
	b.Do(chromedp.Click(bt.TestID("switch-to-en")), chromedp.WaitVisible(bt.TestID("switch-to-zh-CN")))
	b.Do(chromedp.EmulateViewport(390, 844))

	// At 390 px the links wait behind "Menu"; a click (no script: a
	// <details>) shows them, and they work.
	b.Open("/")
	navVisible := `(() => { const a = document.querySelector('[data-testid="nav-orders"]'); return a !== null && a.checkVisibility() })()`
	if bt.Run(b, chromedp.Evaluate[bool](navVisible)) {
		t.Error("at 390 px the navigation shows before the menu is opened")
	}
	b.Do(chromedp.Click(bt.TestID("site-menu-toggle")), chromedp.WaitVisible(bt.TestID("nav-orders")),
		chromedp.Click(bt.TestID("nav-orders")), chromedp.WaitVisible(bt.TestID("site-menu-toggle")))
	if got := b.Path(); !strings.HasPrefix(got, "/orders") {
		t.Errorf("the menu's Orders link led to %q", got)
	}

	// At 1366 px the links are in the header and the toggle is not shown.
	b.Do(chromedp.EmulateViewport(1366, 844))
	b.Open("/")
	if !bt.Run(b, chromedp.Evaluate[bool](navVisible)) {
		t.Error("at 1366 px the navigation is folded")
	}
	if bt.Run(b, chromedp.Evaluate[bool](`document.querySelector('[data-testid="site-menu-toggle"]').checkVisibility()`)) {
		t.Error("at 1366 px the Menu toggle shows")
	}
}
