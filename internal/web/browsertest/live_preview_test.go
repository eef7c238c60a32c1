package browsertest_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	bt "dealdesk/internal/web/browsertest"
)

// The live preview appears below the form in a place drawn from the start,
// so the field being typed in does not move when the first preview
// arrives; and it shows no refusal until a field has been marked (changed
// and left), then it does.
func TestLivePreviewKeepsTheLayoutAndWaitsForAMarkedField(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	pw := c.CreateUser(t, "lena", auth.RoleRequester)
	b := bt.NewBrowser(t, c)
	b.Do(chromedp.EmulateViewport(1366, 900))
	b.Login("lena", pw)
	b.Open("/orders/new/waf")

	top := `document.getElementById("title").getBoundingClientRect().top`
	b.Do(chromedp.Focus(chromedp.CSS(`#title`)))
	before := bt.Run(b, chromedp.Evaluate[float64](top))
	// Typing (an input event, no change yet) brings the first preview.
	b.Do(chromedp.SendKeys(chromedp.CSS(`#title`), "WAF for the shop"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="preview"][data-live="1"]`)))
	if after := bt.Run(b, chromedp.Evaluate[float64](top)); after != before {
		t.Errorf("the first live preview moved the focused field from %v to %v", before, after)
	}
	if id := bt.Run(b, chromedp.Evaluate[string](`document.activeElement.id`)); id != "title" {
		t.Errorf("focus moved to %q", id)
	}
	if n := bt.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('#live-preview [data-testid="preview"]').length`)); n != 1 {
		t.Errorf("%d live previews in their place below the form, want 1", n)
	}
	if n := bt.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="preview-refused"]').length`)); n != 0 {
		t.Error("the preview shows a refusal before any field was marked")
	}

	// Leaving the changed field marks it: the next answer may refuse (the
	// form has no region yet).
	b.Do(chromedp.Blur(chromedp.CSS(`#title`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="preview-refused"]`)))
}
