package browsertest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// journeyOrder is one order of the journey: the product's form, how it is
// filled, and the status its send ends in.
type journeyOrder struct {
	product string
	title   string
	fill    func(b *bt.Browser)
	// fails makes the sandbox refuse the purchase, so the outcome is one
	// the requester's home page lists (it lists what needs their attention).
	fails bool
}

// The whole journey, once in English and once in 简体中文: a requester
// signs in, picks the language with the navigation's switch, composes a
// WAF, a Cloud Firewall and a CloudBase order through their forms and
// submits each; an approver (someone else, in the same language) approves
// and buys each; the sandbox buys two and refuses the CloudBase one; the
// outcome shows on each order page, the requester's home page and the
// orders list; the CSV export holds the rows. Every page visited is
// axe-clean (no serious or critical violation), its words come from the
// language's catalog, and the exact request body is byte-identical in both
// languages.
func TestFullJourneyInBothLanguages(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	bodies := map[string]map[string]string{} // language → product → exact request
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			bodies[lang] = journey(t, c, lang)
		})
	}
	en, zh := bodies["en"], bodies["zh-CN"]
	if len(en) != 3 || len(zh) != 3 {
		t.Fatalf("exact requests read: en %d, zh-CN %d; want 3 each", len(en), len(zh))
	}
	for product, body := range en {
		// Billing's ClientToken is made once per order, so two orders'
		// bodies differ there and only there.
		if perOrder := regexp.MustCompile(`"ClientToken":"[0-9A-F-]{36}"`); perOrder.ReplaceAllString(zh[product], "") != perOrder.ReplaceAllString(body, "") {
			t.Errorf("%s: the exact request differs between the languages:\nen:    %s\nzh-CN: %s", product, body, zh[product])
		}
	}
}

func journey(t *testing.T, c *bt.Console, lang string) map[string]string {
	tag, _ := i18n.ParseLang(lang)
	words := i18n.New(tag, nil)
	requester, approver := "jo-req-"+lang, "jo-appr-"+lang
	reqPW := c.CreateUser(t, requester, auth.RoleRequester)
	apprPW := c.CreateUser(t, approver, auth.RoleApprover)

	alice := bt.NewBrowser(t, c)
	alice.Login(requester, reqPW)
	chooseLanguage(t, alice, lang)
	axeClean(t, alice, "/")

	plan := journeyPlan(lang)
	pages := map[string]string{}
	bodies := map[string]string{}
	for _, o := range plan {
		alice.Open("/orders/new/" + o.product)
		alice.Do(chromedp.WaitVisible(bt.TestID("field-title")))
		axeClean(t, alice, "/orders/new/"+o.product)
		alice.Do(
			chromedp.SendKeys(bt.TestID("field-title"), o.title),
			chromedp.SendKeys(bt.TestID("field-justification"), "journey "+lang),
		)
		o.fill(alice)
		press(alice, "order-preview")
		axeClean(t, alice, "preview of "+o.product)
		press(alice, "order-save")
		if !strings.HasPrefix(alice.Path(), "/orders/") || !alice.HasTestID("order-status") {
			t.Fatalf("%s: saving did not open the order (at %s): %s", o.product, alice.Path(),
				bt.Run(alice, chromedp.Evaluate[string](`[...document.querySelectorAll('.error, [role=alert], [data-testid^="error-"]')].map(e => (e.dataset.testid || '') + ' ' + e.textContent.trim()).join(' | ')`)))
		}
		pages[o.product] = alice.Path()
		if got, want := alice.Text("order-status"), words.T("order_status.draft"); got != want {
			t.Errorf("%s: saved order's status %q, want %q", o.product, got, want)
		}
		bodies[o.product] = alice.Text("order-params")
		press(alice, "submit-button")
		if got, want := alice.Text("order-status"), words.T("order_status.pending_approval"); got != want {
			t.Fatalf("%s: after submitting: %q, want %q", o.product, got, want)
		}
		axeClean(t, alice, pages[o.product])
	}

	bob := bt.NewBrowser(t, c)
	bob.Login(approver, apprPW)
	chooseLanguage(t, bob, lang)
	axeClean(t, bob, "/")
	for _, o := range plan {
		page := pages[o.product]
		bob.Open(page)
		if got := bob.Text("order-params"); got != bodies[o.product] {
			t.Errorf("%s: the approver reads another request than the requester saved:\n%s\n%s", o.product, got, bodies[o.product])
		}
		axeClean(t, bob, page)
		if o.fails {
			c.AddSandboxFault(t, tcsim.Fault{Action: "CreateBillDeal", ErrorCode: "FailedOperation.BalanceInsufficient", Times: 1})
		}
		// The second language's orders buy what the first one's did: the
		// duplicate guard asks the approver to confirm it is meant.
		// (A failed purchase bought nothing, so it is no duplicate.)
		if dup := bob.HasTestID("field-not-duplicate"); dup != (lang == "zh-CN" && !o.fails) {
			t.Errorf("%s: the duplicate guard asks %v in %s", o.product, dup, lang)
		} else if dup {
			bob.Do(chromedp.Click(bt.TestID("field-not-duplicate")))
		}
		press(bob, "approve-button")
		axeClean(t, bob, "confirmation of "+page)
		press(bob, "send-confirm-button")
		want := words.T("order_status.succeeded")
		if o.fails {
			want = words.T("order_status.failed")
		}
		// The queue sends; the page shows the outcome once recorded.
		bob.OpenUntil(page, "order-status", want)
		axeClean(t, bob, page)
		if got := bob.Text("order-params"); got != bodies[o.product] {
			t.Errorf("%s: after sending the page shows another request:\n%s\n%s", o.product, got, bodies[o.product])
		}
	}

	// The requester's home page lists the refused order among what needs
	// her attention, with its status in her language.
	alice.Open("/")
	axeClean(t, alice, "/ after sending")
	attention := alice.Text("home-attention-list")
	if !strings.Contains(attention, plan[2].title) || !strings.Contains(attention, words.T("order_status.failed")) {
		t.Errorf("home's attention list: %q; want %q as %q", attention, plan[2].title, words.T("order_status.failed"))
	}
	if got, want := alice.TextOf("#home-requests-heading"), words.T("home.your_orders"); got != want {
		t.Errorf("home's heading %q, want %q", got, want)
	}

	// History: the orders list shows each outcome in her language.
	alice.Open("/orders")
	axeClean(t, alice, "/orders")
	for _, o := range plan {
		id := strings.TrimPrefix(pages[o.product], "/orders/")
		want := words.T("order_status.succeeded")
		if o.fails {
			want = words.T("order_status.failed")
		}
		if got := alice.TextOf(`[data-testid="order-row-` + id + `"] [data-testid="order-status"]`); got != want {
			t.Errorf("%s: the orders list says %q, want %q", o.product, got, want)
		}
	}
	checkExport(t, alice, plan, pages)
	return bodies
}

// journeyPlan fills each product's form the way a person would: the
// choices the form offers, a code only where the form asks for one.
func journeyPlan(lang string) []journeyOrder {
	return []journeyOrder{
		{product: "waf", title: "WAF journey " + lang, fill: func(b *bt.Browser) {
			b.Do(
				chromedp.SetValue(bt.TestID("field-Region"), "ap-guangzhou"),
				chromedp.SetValue(bt.TestID("field-g0-RegionId"), "1"),
				chromedp.SetValue(bt.TestID("field-g0-RealRegion"), "1"),
				chromedp.SetValue(bt.TestID("field-g0-edition"), "enterprise"),
			)
			press(b, "apply-preset-0")
		}},
		{product: "billing", title: "Cloud Firewall journey " + lang, fill: func(b *bt.Browser) {
			b.Do(chromedp.SetValue(bt.TestID("field-mode"), "cfw"))
			press(b, "refresh")
			chooseFirst(b, "field-cfw-edition")
			chooseFirst(b, "field-RegionPick")
			press(b, "refresh")
			// A zone of the region: typed, or chosen where the form offers them.
			chooseFirst(b, "field-ZoneCode")
		}},
		{product: "tcb", title: "CloudBase journey " + lang, fails: true, fill: func(b *bt.Browser) {
			b.Do(chromedp.SetValue(bt.TestID("field-PackageId"), "baas_personal"))
		}},
	}
}

// chooseFirst picks a select's first real option when none is chosen; a
// text input left empty gets the region's first zone.
func chooseFirst(b *bt.Browser, testid string) {
	bt.Run(b, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const s = document.querySelector('[data-testid=%q]');
		if (s.value) return true;
		if (s.tagName !== 'SELECT') { s.value = 'ap-guangzhou-3'; return true; }
		const o = [...s.options].find(o => o.value); s.value = o.value; return true; })()`, testid)))
}

// chooseLanguage uses the navigation's no-script switch (a POST form) and
// checks <html lang> follows.
func chooseLanguage(t *testing.T, b *bt.Browser, lang string) {
	t.Helper()
	b.Open("/")
	if got := bt.Run(b, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
		press(b, "switch-to-"+lang)
	}
	if got := bt.Run(b, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
		t.Fatalf("after the language switch <html lang=%q>, want %q", got, lang)
	}
}

// axeClean runs axe-core on the page the browser shows.
func axeClean(t *testing.T, b *bt.Browser, what string) {
	t.Helper()
	bt.Run(b, chromedp.Evaluate[chromedp.Void](axeSource))
	var vs []axeViolation
	if err := json.Unmarshal(bt.Run(b, chromedp.Evaluate[[]byte](runAxe, chromedp.EvalAwaitPromise)), &vs); err != nil {
		t.Fatalf("%s: axe's answer: %v", what, err)
	}
	for _, v := range vs {
		t.Errorf("%s: axe %s (%s): %s at %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
	}
}

// checkExport fetches the orders list's CSV link with the reader's session
// and finds each order's row with its machine status.
func checkExport(t *testing.T, b *bt.Browser, plan []journeyOrder, pages map[string]string) {
	t.Helper()
	href := bt.Run(b, chromedp.Evaluate[string](`document.querySelector('[data-testid="orders-export-csv"]').href`))
	// The bytes as sent: Response.text() would drop the byte order mark.
	b64 := bt.Run(b, chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q, {credentials: 'same-origin'}).then(r => r.arrayBuffer())
		.then(buf => btoa(Array.from(new Uint8Array(buf), c => String.fromCharCode(c)).join('')))`, href), chromedp.EvalAwaitPromise))
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("the CSV export's bytes: %v", err)
	}
	raw := string(data)
	if !bytes.HasPrefix(data, []byte("\uFEFF")) {
		t.Errorf("the CSV export does not start with a BOM: %q", raw[:min(len(raw), 40)])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("the CSV export: %v, %d rows:\n%s", err, len(rows), raw)
	}
	header := rows[0]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("the CSV header %q lacks %q", header, name)
		}
		return i
	}
	idCol, statusCol, titleCol := col("id"), col("status"), col("title")
	for _, o := range plan {
		id := strings.TrimPrefix(pages[o.product], "/orders/")
		want := "succeeded"
		if o.fails {
			want = "failed"
		}
		i := slices.IndexFunc(rows[1:], func(r []string) bool { return r[idCol] == id })
		if i < 0 {
			t.Errorf("%s: order %s is not in the export", o.product, id)
			continue
		}
		if r := rows[1+i]; r[statusCol] != want || r[titleCol] != o.title {
			t.Errorf("%s: the export's row %q; want status %q and title %q", o.product, r, want, o.title)
		}
	}
}
