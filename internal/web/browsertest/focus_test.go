package browsertest_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// focused is the id of the focused element and the page's fragment.
func focused(b *bt.Browser) (id, hash string) {
	got := bt.Run(b, chromedp.Evaluate[[]string](`[document.activeElement ? document.activeElement.id : "", location.hash]`))
	return got[0], got[1]
}

// Row buttons keep the person's place: after "Add a Goods entry", "Apply
// preset", "Add a label" and "Update the form" the page returns to the row
// acted on with the focus on that row's first field (the fragment names it).
func TestRowActionsKeepYourPlace(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "rita", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Login("rita", pw)

	check := func(action, wantFocus, wantHash string) {
		t.Helper()
		if id, hash := focused(b); id != wantFocus || hash != wantHash {
			t.Errorf("after %s: focus on %q at %q, want %q at %q", action, id, hash, wantFocus, wantHash)
		}
	}
	b.Open("/orders/new/waf")
	press(b, "add-goods")
	check("Add a Goods entry", "g1-edition", "#g1-edition")
	press(b, "apply-preset-0")
	check("Apply preset", "g0-edition", "#g0-edition")
	labels := bt.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid^="label-1-"]').length`))
	press(b, "add-label-1")
	want := "g1-l" + strconv.Itoa(labels) + "-type"
	check("Add a label", want, "#"+want)

	b.Open("/orders/new/billing")
	press(b, "refresh")
	check("Update the form (Billing)", "mode", "#mode")
	b.Open("/orders/new/tcb")
	press(b, "refresh")
	check("Update the form (CloudBase)", "DealType", "#DealType")

	// Any other button starts at the top, as a page load does.
	b.Open("/orders/new/waf")
	press(b, "order-preview")
	if id, _ := focused(b); id == "g0-edition" {
		t.Error("Preview moved the focus to a row")
	}
}
