package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

func TestDraftIsListedAndShownWithItsExactRequest(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("Main account")
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	resp, body := alice.post("/orders/new/tcb", tcbValues(acct))
	id := savedOrderID(t, resp, body)
	o := env.order(id)

	// The order page: the stored bytes, their hash, the headers-to-be.
	resp, body = alice.get(location(resp))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Saved order #"+itoa(id)) {
		t.Fatalf("order page %d, or no flash", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	text := func(id string) string { return strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()) }
	for tid, want := range map[string]string{
		"order-params": string(o.Params), "order-sha256": o.ParamsSHA256, "order-action": "CreateBillDeal",
		"order-api-version": "2018-06-08", "order-host": "tcb.tencentcloudapi.com", "order-status": "Draft",
		"order-version": "1", "order-account": "Main account", "order-justification": "The mini program.",
		"order-requester": "alice (alice)",
	} {
		if got := text(tid); got != want {
			t.Errorf("%s = %q, want %q", tid, got, want)
		}
	}
	if !strings.Contains(text("order-region"), "none") {
		t.Errorf("region %q for an action without one", text("order-region"))
	}
	for _, tid := range []string{"order-edit", "order-delete", "order-clone"} {
		if doc.Find(`[data-testid="`+tid+`"]`).Length() != 1 {
			t.Errorf("the requester lacks %s", tid)
		}
	}

	// The list, filtered or not.
	for path, listed := range map[string]bool{"/orders": true, "/orders?status=draft": true, "/orders?status=approved": false, "/orders?status=bogus": false} {
		_, body := alice.get(path)
		if got := strings.Contains(body, `data-testid="order-row-`+itoa(id)+`"`); got != listed {
			t.Errorf("%s lists the draft: %v, want %v", path, got, listed)
		}
	}
	// Another requester's list starts on their own orders; an approver's on
	// everyone's. The approver's view of it has no edit or delete.
	dave, _ := env.loggedIn("dave", auth.RoleRequester)
	if _, body := dave.get("/orders"); strings.Contains(body, "order-row-") || !strings.Contains(body, "orders-empty") {
		t.Error("dave's own list shows alice's order")
	}
	if _, body := dave.get("/orders?requester="); !strings.Contains(body, `data-testid="order-row-`+itoa(id)+`"`) {
		t.Error("dave cannot list everyone's orders")
	}
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	if _, body := bob.get("/orders"); !strings.Contains(body, `data-testid="order-row-`+itoa(id)+`"`) {
		t.Error("bob's list lacks alice's order")
	}
	resp, body = bob.get(templates.OrderPath(id))
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "order-edit") || strings.Contains(body, "order-delete") || strings.Contains(body, "order-clone") {
		t.Errorf("an approver's view: %d, with requester actions", resp.StatusCode)
	}
	if resp, _ := bob.get("/orders/nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a malformed id: %d", resp.StatusCode)
	}
	if resp, _ := alice.get("/orders/new/cdn"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown product: %d", resp.StatusCode)
	}
}

func TestPreviewShowsTheBodyAndHeadersAndSavesNothing(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)

	// WAF: the region header and the canonical body.
	resp, body := c.post("/orders/new/waf", form(wafValues(acct), "op", "preview", "Region", "ap-seoul"))
	doc := parseHTML(t, body)
	text := func(id string) string { return strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()) }
	if resp.StatusCode != http.StatusOK || text("preview-action") != "GenerateDealsAndPayNew" || text("preview-version") != "2018-01-25" ||
		text("preview-region") != "ap-seoul" || text("preview-host") != "waf.tencentcloudapi.com" {
		t.Fatalf("WAF preview %d: %q %q %q %q", resp.StatusCode, text("preview-action"), text("preview-version"), text("preview-region"), text("preview-host"))
	}
	if !strings.HasPrefix(text("preview-body"), `{"Goods":[{"GoodsCategoryId":102375,"GoodsDetail":{"AutoRenewFlag":1,`) {
		t.Errorf("WAF body %s", text("preview-body"))
	}

	// Billing: a Cloud Firewall Parameter built from fields, with the
	// ClientToken's stand-in explained.
	resp, body = c.post("/orders/new/billing", url.Values{"op": {"preview"}, "title": {"CFW"}, "justification": {"j"}, "account": {acct},
		"mode": {"cfw"}, "RegionCode": {"ap-guangzhou"}, "ZoneCode": {"ap-guangzhou-6"}, "PayMode": {"PrePay"}, "Period": {"3"},
		"cfw-edition": {"sv_cloudfirewall_basic_eeps"}, "cfw-goodsNum": {"1"}, "cfw-sv_cloudfirewall_extended_ibtesps": {"100"},
		"cfw-sv_cloudfirewall_extended_clasps": {"1"}, "ProductCode": {"p_typed_over"}})
	doc = parseHTML(t, body)
	want := `"Parameter":"{\"goodsNum\":1,\"pid\":1002147,\"productCode\":\"p_cloudfirewall\",\"subProductCode\":\"sp_cloudfirewall_svv1\",` +
		`\"sv_cloudfirewall_basic_aeps\":0,\"sv_cloudfirewall_basic_eeps\":1,\"sv_cloudfirewall_basic_ueps\":0,` +
		`\"sv_cloudfirewall_extended_clasps\":1,\"sv_cloudfirewall_extended_ibtesps\":100,\"timeSpan\":3,\"timeUnit\":\"m\"}"`
	got := text("preview-body")
	if resp.StatusCode != http.StatusOK || !strings.Contains(got, want) || !strings.Contains(got, `"ClientToken":"`+orders.PreviewClientToken+`"`) ||
		!strings.Contains(got, `"ProductCode":"p_cloudfirewall"`) || text("preview-token-note") == "" || text("preview-region") == "ap-seoul" {
		t.Fatalf("billing preview %d:\n%s", resp.StatusCode, got)
	}

	// A preview of a refused form shows the body, marked, and the errors.
	resp, body = c.post("/orders/new/tcb", form(tcbValues(acct), "op", "preview", "TimeUnit", "d"))
	doc = parseHTML(t, body)
	if resp.StatusCode != http.StatusOK || text("preview-refused") == "" || !strings.Contains(text("preview-body"), `"TimeUnit":"d"`) {
		t.Fatalf("refused preview %d", resp.StatusCode)
	}
	fieldError(t, doc, "TimeUnit", "must be m (months)")
	if n := env.orderCount(); n != 0 {
		t.Fatalf("previews saved %d orders", n)
	}
}

func TestWAFRowsAndPresetsWithoutJavaScript(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	// post sends the form as the page showed it, with changes, pressing
	// the button op, and returns the re-rendered form and its preset notes.
	post := func(vals url.Values, op string, pairs ...string) (url.Values, map[string]string) {
		t.Helper()
		resp, body := c.post("/orders/new/waf", form(vals, append([]string{"op", op}, pairs...)...))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d\n%s", op, resp.StatusCode, pageErrors(body))
		}
		doc := parseHTML(t, body)
		notes := map[string]string{}
		doc.Find(`[data-testid^="preset-note-"]`).Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			notes[id] = s.Text()
		})
		return formOnPage(t, doc, "order-form"), notes
	}
	_, body := c.get("/orders/new/waf")
	vals := formOnPage(t, parseHTML(t, body), "order-form")
	if vals.Get("g0-GoodsCategoryId") != "102375" || vals.Get("g0-SubProductCode") != "sp_wsm_waf_premium" || vals.Get("g0-l0-type") != "sv_wsm_waf_package_premium" {
		t.Fatalf("a new form's first entry: %v", vals)
	}
	vals.Set("title", "Two entries")
	vals.Set("justification", "j")
	vals.Set("account", acct)
	vals.Set("Region", "ap-guangzhou")

	// A second entry, then a QPS pack chosen for it: its codes follow.
	vals, _ = post(vals, "add_goods")
	if vals.Get("g1-GoodsCategoryId") != "102375" {
		t.Fatalf("the added entry: %v", vals)
	}
	vals, notes := post(vals, "preview", "g1-edition", "qps")
	if vals.Get("g1-GoodsCategoryId") != "101040" || vals.Get("g1-Pid") != "1000481" || vals.Get("g1-SubProductCode") != "sp_wsm_waf_qpsep" ||
		vals.Get("g1-l0-type") != "sv_wsm_waf_qps_ep" || !strings.Contains(notes["preset-note-1"], "preset changed") {
		t.Fatalf("a changed preset did not fill the codes: %v %v", vals, notes)
	}
	// Sold outside the mainland, the premium entry's label becomes _intl.
	vals, _ = post(vals, "preview", "g0-RegionId", "9", "g0-RealRegion", "9")
	if vals.Get("g0-l0-type") != "sv_wsm_waf_package_premium_intl" {
		t.Fatalf("RegionId 9: label %q", vals.Get("g0-l0-type"))
	}
	// Codes edited by hand turn the entry custom and are kept.
	vals, notes = post(vals, "preview", "g0-GoodsCategoryId", "102376", "g0-InstanceId", "waf_1")
	if vals.Get("g0-edition") != "" || vals.Get("g0-GoodsCategoryId") != "102376" || !strings.Contains(notes["preset-note-0"], "edited by hand") {
		t.Fatalf("hand-edited codes: %v %v", vals, notes)
	}
	// Applying a preset replaces them.
	vals, _ = post(vals, "apply_preset:0", "g0-edition", "enterprise", "g0-kind", "new")
	if vals.Get("g0-GoodsCategoryId") != "102378" || vals.Get("g0-l0-type") != "sv_wsm_waf_package_enterprise_intl" {
		t.Fatalf("apply preset: %v", vals)
	}
	// Label rows come and go; removing the first entry renumbers the rest.
	vals, _ = post(vals, "add_label:1")
	if !vals.Has("g1-l1-type") {
		t.Fatal("no label row added")
	}
	vals, _ = post(vals, "remove_label:1:1")
	if vals.Has("g1-l1-type") {
		t.Fatal("label row not removed")
	}
	vals, _ = post(vals, "remove_goods:0")
	if vals.Get("g0-SubProductCode") != "sp_wsm_waf_qpsep" || vals.Has("g1-GoodsNum") {
		t.Fatalf("after removing the first entry: %v", vals)
	}
	if n := env.orderCount(); n != 0 {
		t.Fatalf("row buttons saved %d orders", n)
	}
	resp, body := c.post("/orders/new/waf", form(vals, "op", "save"))
	o := env.order(savedOrderID(t, resp, body))
	if !strings.Contains(string(o.Params), `"SubProductCode":"sp_wsm_waf_qpsep"`) || strings.Contains(string(o.Params), "premium") {
		t.Fatalf("saved %s", o.Params)
	}
}

func TestEveryOrderFormCarriesTheToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	resp, body := c.post("/orders/new/waf", wafValues(acct))
	id := savedOrderID(t, resp, body)
	resp, body = c.post("/orders/new/tcb", tcbValues(acct))
	done := savedOrderID(t, resp, body)
	env.setStatus(done, orders.StatusSucceeded)
	formTag := regexp.MustCompile(`(?s)<form[^>]*method="post".*?</form>`)
	for _, path := range []string{"/orders/new/waf", "/orders/new/billing", "/orders/new/tcb",
		templates.OrderPath(id), templates.OrderPath(id) + "/edit", templates.OrderPath(done)} {
		_, body := c.get(path)
		forms := formTag.FindAllString(body, -1)
		if len(forms) < 2 {
			// The layout's sign-out form is one; each page has its own too.
			t.Errorf("%s: %d POST forms", path, len(forms))
		}
		for _, f := range forms {
			if m := csrfInput.FindStringSubmatch(f); m == nil || m[1] != c.cookie(csrfCookie).Value {
				t.Errorf("%s: a form lacks the CSRF token: %.120s", path, f)
			}
		}
	}
}
