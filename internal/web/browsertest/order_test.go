package browsertest_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// press clicks a submit button and waits until the page the server sends
// back has replaced this one. The forms re-render the same page, so
// waiting for an element would find it on the old page: the old page is
// marked first, and the mark's disappearance is the new page's arrival.
func press(b *bt.Browser, testid string) {
	b.Do(chromedp.WaitVisible(bt.TestID(testid)))
	bt.Run(b, chromedp.Evaluate[bool](`document.body.dataset.stale = "1", true`))
	b.Do(
		chromedp.Click(bt.TestID(testid)),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)),
		chromedp.WaitVisible(chromedp.CSS(`footer.site`)),
	)
}

func value(b *bt.Browser, testid string) string {
	return bt.Run(b, chromedp.Value(bt.TestID(testid)))
}

// A requester composes a WAF order with two Goods entries using the presets
// (one applied with its button, one filled when its preset changed),
// previews the request, saves it and finds it among the drafts.
func TestComposeWAFOrderWithTwoEntries(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "rita", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Login("rita", pw)

	b.Do(chromedp.Click(bt.TestID("nav-new-order")), chromedp.WaitVisible(bt.TestID("order-choose-heading")))
	b.Do(chromedp.Click(bt.TestID("choose-waf")), chromedp.WaitVisible(bt.TestID("order-form-heading")))
	const title = "WAF for the shop, two entries"
	b.Do(
		chromedp.SendKeys(bt.TestID("field-title"), title),
		chromedp.SendKeys(bt.TestID("field-justification"), "The shop goes live next month."),
		chromedp.SetValue(bt.TestID("field-Region"), "ap-guangzhou"),
		chromedp.SetValue(bt.TestID("field-g0-RegionId"), "1"),
		chromedp.SetValue(bt.TestID("field-g0-RealRegion"), "1"),
		chromedp.SetValue(bt.TestID("field-g0-edition"), "enterprise"),
	)
	// The only account, the one sandbox mode makes, is chosen already.
	if got := value(b, "field-account"); got == "" {
		t.Fatal("no account chosen")
	}

	// Entry 1: the enterprise preset, applied with its button.
	press(b, "apply-preset-0")
	if got := value(b, "field-g0-GoodsCategoryId"); got != "102378" {
		t.Fatalf("entry 1's category after applying the preset: %q", got)
	}
	if got := value(b, "field-g0-l0-type"); got != "sv_wsm_waf_package_enterprise" {
		t.Fatalf("entry 1's label: %q", got)
	}

	// Entry 2: a CLB QPS pack, its codes filled on preview because its
	// preset changed and its codes were untouched.
	press(b, "add-goods")
	b.Do(
		chromedp.SetValue(bt.TestID("field-g1-edition"), "qps"),
		chromedp.SetValue(bt.TestID("field-g1-flavor"), "clb"),
		chromedp.SetValue(bt.TestID("field-g1-RegionId"), "1"),
		chromedp.Clear(bt.TestID("field-g1-l0-count")),
		chromedp.SendKeys(bt.TestID("field-g1-l0-count"), "2"),
	)
	press(b, "order-preview")
	if got := value(b, "field-g1-GoodsCategoryId"); got != "101210" {
		t.Fatalf("entry 2's category after the preset changed: %q", got)
	}
	body := b.Text("preview-body")
	for _, want := range []string{`"SubProductCode":"sp_wsm_waf_enterprise"`, `"SubProductCode":"sp_wsm_waf_qpsep_clb"`,
		`"LabelCounts":[2],"LabelTypes":["sv_wsm_waf_qps_ep_clb"]`, `"GoodsCategoryId":101210`} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %s:\n%s", want, body)
		}
	}
	if got := b.Text("preview-action"); got != "GenerateDealsAndPayNew" {
		t.Errorf("preview action %q", got)
	}
	if got := b.Text("preview-region"); got != "ap-guangzhou" {
		t.Errorf("preview region %q", got)
	}

	// Save: the order page shows the same body, as a draft.
	press(b, "order-save")
	if got := b.Text("order-status"); got != "Draft" {
		t.Fatalf("saved order's status %q", got)
	}
	if got := b.Text("order-params"); got != body {
		t.Errorf("saved body differs from the preview:\n%s\n%s", got, body)
	}

	// The drafts list holds it.
	b.Do(chromedp.Click(bt.TestID("nav-orders")), chromedp.WaitVisible(bt.TestID("orders-table")))
	b.Do(chromedp.SetValue(bt.TestID("field-status"), "draft"))
	press(b, "orders-filter-submit")
	// The form sends every filter; the ones that matter here are the status
	// and the requester, prefilled with the person's own name.
	if got := b.Path(); !strings.HasPrefix(got, "/orders?") || !strings.Contains(got, "&status=draft&") || !strings.Contains(got, "&requester=rita&") {
		t.Errorf("filtered list at %q", got)
	}
	if got := b.Text("order-title"); got != title {
		t.Errorf("the draft list shows %q", got)
	}
}

// With JavaScript, the preview follows the form as a person types; the
// server builds it, so it is the body Save would store.
func TestPreviewFollowsTheFormWhileTyping(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "tess", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Login("tess", pw)
	b.Open("/orders/new/tcb")
	// The package id is a code: it is typed under Advanced.
	b.Do(
		chromedp.Click(bt.TestID("tcb-advanced")+" > summary"),
		chromedp.WaitVisible(bt.TestID("field-PackageId")),
		chromedp.SendKeys(bt.TestID("field-PackageId"), "baas_team"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="preview"][data-live]`)),
	)
	ok := bt.Run(b, chromedp.Poll[bool](`(document.querySelector('[data-testid="preview-body"]') || {}).textContent.includes('"PackageId":"baas_team"')`))
	if !ok {
		t.Fatalf("the live preview does not show the typed PackageId: %s", b.Text("preview-body"))
	}
	if got := b.Path(); got != "/orders/new/tcb" {
		t.Errorf("the live preview navigated to %q", got)
	}
}

// With scripts, changing a WAF entry's edition fills its codes at once:
// the entry is redrawn from the server's preset rule, its note names the
// new preset, and nobody presses "Apply preset" or leaves the page.
func TestWAFEditionChangeUpdatesTheCodesAtOnce(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "walt", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Login("walt", pw)
	b.Open("/orders/new/waf")
	if got := value(b, "field-g0-GoodsCategoryId"); got != "102375" {
		t.Fatalf("the blank form's premium SaaS entry has GoodsCategoryId %q", got)
	}
	if got := b.Text("preset-note-0"); !strings.Contains(got, "Premium edition") {
		t.Fatalf("the note names another preset: %q", got)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('g0-edition'); s.value = 'enterprise'; s.focus();
		s.dispatchEvent(new Event('change', {bubbles: true})); })()`))
	if !bt.Run(b, chromedp.Poll[bool](`document.getElementById('g0-GoodsCategoryId').value === '102378'`)) {
		t.Fatalf("the codes did not follow the edition: GoodsCategoryId %q", value(b, "field-g0-GoodsCategoryId"))
	}
	if got := b.Text("preset-note-0"); !strings.Contains(got, "Enterprise edition") {
		t.Errorf("after the change the note reads %q", got)
	}
	if got := value(b, "field-g0-SubProductCode"); got != "sp_wsm_waf_enterprise" {
		t.Errorf("SubProductCode %q after the change", got)
	}
	if got := bt.Run(b, chromedp.Evaluate[string](`document.activeElement.id`)); got != "g0-edition" {
		t.Errorf("the redraw moved the focus to %q", got)
	}
	if got := b.Path(); got != "/orders/new/waf" {
		t.Errorf("the change navigated to %q", got)
	}
}
