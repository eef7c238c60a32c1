package browsertest

import "github.com/chromedp/chromedp"

// primaryButtons lists the visible buttons and links styled as the page's
// primary action (filled with the accent colour), by their text. Hidden
// ones (a folded "Advanced", the order form's visually hidden Enter
// target) are not seen, so they do not count.
const primaryButtons = `(() => {
	const probe = document.createElement('span');
	probe.style.background = 'var(--accent)';
	document.body.appendChild(probe);
	const accent = getComputedStyle(probe).backgroundColor;
	probe.remove();
	const out = [];
	for (const el of document.querySelectorAll('button, .button, input[type=submit]')) {
		const r = el.getBoundingClientRect();
		if (r.width <= 1 || r.height <= 1 || el.closest('[hidden], [aria-hidden=true], .visually-hidden, details:not([open])')) continue;
		if (getComputedStyle(el).backgroundColor === accent) out.push((el.textContent || el.value).trim());
	}
	return out;
})()`

// Primaries are the texts of the current page's buttons and links styled
// primary: a page offers one next step, so there is at most one.
func (b *Browser) Primaries() []string {
	b.t.Helper()
	return Run(b, chromedp.Evaluate[[]string](primaryButtons))
}
