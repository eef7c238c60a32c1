package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
)

// labelFor is the text of the label of control id.
func labelFor(doc *goquery.Document, id string) string {
	return strings.TrimSpace(doc.Find(`label[for="` + id + `"]`).Text())
}

// WAF billing labels read as named counts ("Domain packs"), their codes
// under the entry's Advanced part; a label no word names keeps its code in
// the main part (the "Other" path), and both are sent as before.
func TestWAFLabelsAsNamedCounts(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	doc := alice.page("/orders/new/waf")
	pair := doc.Find(`[data-testid="label-0-0"]`)
	if pair.Find(`#g0-l0-type`).Length() != 0 || !strings.HasPrefix(labelFor(doc, "g0-l0-count"), "Premium edition packages") {
		t.Errorf("the preset's label is not a named count: %q", labelFor(doc, "g0-l0-count"))
	}
	if strings.Contains(doc.Find(`#g0-labels legend`).Text(), "LabelTypes") {
		t.Error("the labels' legend names the API's parameters though every label is named")
	}
	if v, _ := doc.Find(`[data-testid="advanced-0"] #g0-l0-type`).Attr("value"); v != "sv_wsm_waf_package_premium" {
		t.Errorf("the label code under Advanced is %q", v)
	}

	form := formOnPage(t, doc, "order-form")
	form.Set("op", "add_label:0")
	_, body := alice.post("/orders/new/waf", form)
	doc = parseHTML(t, body)
	if doc.Find(`[data-testid="label-0-1"] #g0-l1-type`).Length() != 1 {
		t.Fatal("a new label has no code field in the main part")
	}
	form = formOnPage(t, doc, "order-form")
	form.Set("g0-l1-type", "sv_wsm_waf_domain")
	form.Set("g0-l1-count", "2")
	form.Set("op", "add_label:0")
	_, body = alice.post("/orders/new/waf", form)
	doc = parseHTML(t, body)
	form = formOnPage(t, doc, "order-form")
	form.Set("g0-l2-type", "sv_wsm_waf_custom_thing")
	form.Set("g0-l2-count", "3")
	form.Set("op", "preview")
	_, body = alice.post("/orders/new/waf", form)
	doc = parseHTML(t, body)
	if !strings.HasPrefix(labelFor(doc, "g0-l1-count"), "Domain packs") || doc.Find(`[data-testid="advanced-0"] #g0-l1-type`).Length() != 1 {
		t.Errorf("a domain pack label reads %q", labelFor(doc, "g0-l1-count"))
	}
	if doc.Find(`[data-testid="label-0-2"] #g0-l2-type`).Length() != 1 {
		t.Error("an unlisted label's code left the main part")
	}
	sent := doc.Find(`[data-testid="preview-body"]`).Text()
	if !strings.Contains(sent, `"LabelTypes":["sv_wsm_waf_package_premium","sv_wsm_waf_domain","sv_wsm_waf_custom_thing"]`) ||
		!strings.Contains(sent, `"LabelCounts":[1,2,3]`) {
		t.Errorf("the labels sent: %s", sent)
	}

	if resp, _ := alice.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/orders"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("language switch: %d", resp.StatusCode)
	}
	doc = alice.page("/orders/new/waf")
	if got := labelFor(doc, "g0-l0-count"); !strings.HasPrefix(got, "高级版套餐包") {
		t.Errorf("the label in Chinese reads %q", got)
	}
}

// Billing's zone is a choice among the region's known zones, its code
// under Advanced; a typed code reads "Other"; a region without known zones
// asks for the code with a hint.
func TestBillingZoneChoices(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	doc := alice.page("/orders/new/billing")
	preview := func(set map[string]string) *goquery.Document {
		t.Helper()
		form := formOnPage(t, doc, "order-form")
		for k, v := range set {
			form.Set(k, v)
		}
		form.Set("op", "preview")
		_, body := alice.post("/orders/new/billing", form)
		return parseHTML(t, body)
	}
	doc = preview(map[string]string{"RegionPick": "ap-guangzhou"})
	if got := doc.Find(`select#ZonePick option[value="ap-guangzhou-3"]`).Text(); got != "Guangzhou zone 3 (ap-guangzhou-3)" {
		t.Errorf("Guangzhou zone 3 reads %q", got)
	}
	if doc.Find(`select#ZonePick option[value="_other"]`).Length() != 1 || doc.Find(`[data-testid="zone-advanced"] #ZoneCode`).Length() != 1 {
		t.Fatal("no Other choice, or the zone code is not under Advanced")
	}

	doc = preview(map[string]string{"ZonePick": "ap-guangzhou-3"})
	if inputValue(doc, "ZoneCode") != "ap-guangzhou-3" || selected(doc, "ZonePick") != "ap-guangzhou-3" {
		t.Fatalf("choosing zone 3: code %q, choice %q", inputValue(doc, "ZoneCode"), selected(doc, "ZonePick"))
	}
	if !strings.Contains(doc.Find(`[data-testid="preview-body"]`).Text(), `"ZoneCode":"ap-guangzhou-3"`) {
		t.Error("the chosen zone is not sent")
	}

	doc = preview(map[string]string{"ZoneCode": "ap-guangzhou-9"})
	if selected(doc, "ZonePick") != otherPick || inputValue(doc, "ZoneCode") != "ap-guangzhou-9" {
		t.Fatalf("a typed zone: code %q, choice %q", inputValue(doc, "ZoneCode"), selected(doc, "ZonePick"))
	}
	if _, open := doc.Find(`[data-testid="zone-advanced"]`).Attr("open"); !open {
		t.Error("a typed zone's code is folded")
	}

	doc = preview(map[string]string{"RegionPick": "ap-shanghai", "ZoneCode": "ap-shanghai-2"})
	if doc.Find(`select#ZonePick`).Length() != 0 || doc.Find(`[data-testid="zone-choice"] > div #ZoneCode, [data-testid="zone-choice"] #ZoneCode`).Length() != 1 ||
		doc.Find(`[data-testid="zone-advanced"]`).Length() != 0 {
		t.Error("a region without known zones does not ask for the code in the main part")
	}
	if inputValue(doc, "ZoneCode") != "ap-shanghai-2" {
		t.Errorf("the typed Shanghai zone is %q", inputValue(doc, "ZoneCode"))
	}
}
