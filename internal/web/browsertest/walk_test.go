package browsertest_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	bt "dealdesk/internal/web/browsertest"
)

// axeSource is axe-core, vendored (testdata/NOTICE): the walk runs offline
// and in CI without a tool installed by hand, at a version that does not
// move under the tests.
//
//go:embed testdata/axe.min.js
var axeSource string

// walkLimit bounds the pages one role's walk opens: enough for every page
// the navigation reaches and the orders seeded, not every filter and page
// of the history.
const walkLimit = 40

// The walk: for each role, starting at the home page, every same-origin
// link on every page answers 200 or a redirect (never 403, 404 or 500:
// nothing offers what the reader may not open), every page the walk
// opens has no serious or critical accessibility violation by axe-core,
// and no page styles more than one button or link as its primary action.
// Pages are opened by following links; query-string variants (filters,
// pages, exports) are checked as links, not walked.
func TestWalkEveryLinkForEveryRoleWithAxe(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	users := map[string]string{}
	pool := dbtest.Open(t, c.DatabaseURL)
	for _, r := range auth.AllRoles {
		users[string(r)] = c.CreateUser(t, "walk-"+string(r), r)
		// The same walk in Chinese: a second person of the role who
		// chose 简体中文 on their profile.
		users["zh-"+string(r)] = c.CreateUser(t, "walk-zh-"+string(r), r)
		if _, err := pool.Exec(context.Background(), `UPDATE users SET language = 'zh-CN' WHERE username = $1`, "walk-zh-"+string(r)); err != nil {
			t.Fatal(err)
		}
	}
	seedWalkOrders(t, c, "walk-requester")

	for _, lang := range []string{"", "zh-"} {
		for _, r := range auth.AllRoles {
			t.Run(lang+string(r), func(t *testing.T) {
				b := bt.NewBrowser(t, c)
				b.Login("walk-"+lang+string(r), users[lang+string(r)])
				if want, got := map[string]string{"": "en", "zh-": "zh-CN"}[lang], bt.Run(b, chromedp.Evaluate[string](`document.documentElement.lang`)); got != want {
					t.Errorf("<html lang=%q>, want %q", got, want)
				}
				walk(t, b, lang == "zh-")
			})
		}
	}
}

// seedWalkOrders gives the walk orders to show: a draft, one waiting for
// approval and one approved (not sent: the service here queues nothing).
func seedWalkOrders(t *testing.T, c *bt.Console, requester string) {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Open(t, c.DatabaseURL)
	u, err := db.GetUserByUsername(ctx, pool, requester)
	if err != nil {
		t.Fatal(err)
	}
	a := orders.Actor{UserID: u.ID, Roles: u.Roles}
	svc := orders.NewService(pool)
	seedSandboxDraft(t, c, requester, orders.ProductTCB)
	pending := seedSandboxDraft(t, c, requester, orders.ProductWAF)
	if _, err := svc.Submit(ctx, a, pending.ID, pending.Version); err != nil {
		t.Fatal(err)
	}
}

type linkAnswer struct {
	Href   string `json:"href"`
	Status int    `json:"status"`
	Type   string `json:"type"`
	HTML   bool   `json:"html"`
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkLinks fetches every same-origin link of the page from the page
// itself (the reader's cookies, redirects not followed) and reports each
// answer.
const checkLinks = `(async () => {
	const hrefs = new Set();
	for (const a of document.querySelectorAll('a[href]')) {
		const u = new URL(a.href, location.href);
		if (u.origin !== location.origin) continue;
		u.hash = '';
		hrefs.add(u.href);
	}
	const out = [];
	for (const href of hrefs) {
		const r = await fetch(href, {redirect: 'manual', credentials: 'same-origin'});
		const ct = r.headers.get('content-type') || '';
		out.push({href, status: r.status, type: r.type, html: ct.startsWith('text/html')});
	}
	return out;
})()`

// runAxe runs axe-core on the page and keeps the serious and critical
// violations.
const runAxe = `(async () => {
	const r = await axe.run(document, {resultTypes: ['violations']});
	return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
})()`

func walk(t *testing.T, b *bt.Browser, chinese bool) {
	queue, seen := []string{"/"}, map[string]bool{"/": true}
	opened, checked := 0, 0
	for ; len(queue) > 0 && opened < walkLimit; opened++ {
		path := queue[0]
		queue = queue[1:]
		if status := b.Open(path); status != 200 {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		bt.Run(b, chromedp.Evaluate[chromedp.Void](axeSource))
		raw := bt.Run(b, chromedp.Evaluate[[]byte](runAxe, chromedp.EvalAwaitPromise))
		var vs []axeViolation
		if err := json.Unmarshal(raw, &vs); err != nil {
			t.Fatalf("%s: axe's answer: %v", path, err)
		}
		for _, v := range vs {
			t.Errorf("%s: axe %s (%s): %s at %s", path, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
		}
		if ps := b.Primaries(); len(ps) > 1 {
			t.Errorf("%s: %d buttons styled primary (%q): a page has one next step", path, len(ps), ps)
		}
		if chinese {
			for _, leak := range englishLeaks(t, b) {
				t.Errorf("%s: English on a Chinese page: %q in %q", path, leak.Words, leak.Text)
			}
		}
		var links []linkAnswer
		if err := json.Unmarshal(bt.Run(b, chromedp.Evaluate[[]byte](checkLinks, chromedp.EvalAwaitPromise)), &links); err != nil {
			t.Fatalf("%s: the links' answers: %v", path, err)
		}
		checked += len(links)
		for _, l := range links {
			redirect := l.Type == "opaqueredirect" || (l.Status >= 300 && l.Status < 400)
			if l.Status != 200 && !redirect {
				t.Errorf("%s links to %s, which answers %d", path, l.Href, l.Status)
				continue
			}
			u, err := url.Parse(l.Href)
			if err != nil || !l.HTML || u.RawQuery != "" || seen[u.Path] || strings.HasPrefix(u.Path, "/static/") {
				continue
			}
			seen[u.Path] = true
			queue = append(queue, u.Path)
		}
	}
	t.Logf("opened %d pages, checked %d links; %d pages found and not opened (their links were checked from the pages that name them)",
		opened, checked, len(queue))
	// Every role reaches at least its home, the orders and an order.
	if opened < 3 || checked < 10 {
		t.Errorf("the walk opened %d pages and checked %d links: it did not walk", opened, checked)
	}
}

// findEnglish collects the page's visible text outside what is rightly
// not translated: code (pre, code, kbd, samp), raw values the page marks
// with translate="no" or data-raw (codes, ids, names people typed, the
// API's own words) and scripts; and returns each run of two or more
// English words it holds. Hidden elements (display: none) are skipped.
const findEnglish = `(() => {
	const skip = 'pre, code, kbd, samp, script, style, noscript, template, [translate="no"], [data-raw]';
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const words = /[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{3,})+/g;
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest(skip) || el.closest('[hidden]') || !el.getClientRects().length) continue;
		const text = n.textContent.replace(/\s+/g, ' ').trim();
		for (const m of text.matchAll(words)) out.push({words: m[0], text: text.slice(0, 120)});
	}
	for (const el of document.querySelectorAll('input[placeholder], [title], [aria-label], img[alt]')) {
		if (el.closest(skip)) continue;
		for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
			const v = el.getAttribute(a);
			if (!v) continue;
			for (const m of v.matchAll(words)) out.push({words: m[0], text: a + '=' + v.slice(0, 120)});
		}
	}
	return out;
})()`

// englishAllowed are the English words a Chinese page rightly shows, each
// with why: Tencent Cloud's own product names, as its Chinese console
// writes them.
var englishAllowed = map[string]string{
	"Tencent Cloud":  "the company's name, written in English in Chinese text too",
	"CloudBase":      "云开发 CloudBase: the console's Chinese name keeps it",
	"JSON Lines":     "a file format's name (下载 JSON Lines), like CSV",
	"Parameter JSON": "Billing's parameter name before the word JSON",
}

type englishLeak struct {
	Words string `json:"words"`
	Text  string `json:"text"`
}

// englishLeaks are the runs of English words on the open page that the
// allowlist does not excuse.
func englishLeaks(t *testing.T, b *bt.Browser) []englishLeak {
	var found []englishLeak
	if err := json.Unmarshal(bt.Run(b, chromedp.Evaluate[[]byte](findEnglish)), &found); err != nil {
		t.Fatalf("reading the page's words: %v", err)
	}
	var out []englishLeak
	for _, l := range found {
		rest := l.Words
		for w := range englishAllowed {
			rest = strings.ReplaceAll(rest, w, "")
		}
		if englishRun.MatchString(rest) {
			out = append(out, l)
		}
	}
	return out
}

// englishRun is findEnglish's test, for what is left of a run once the
// allowed words are taken out.
var englishRun = regexp.MustCompile(`[A-Za-z]{3,}[ ,]+[A-Za-z]{3,}`)
