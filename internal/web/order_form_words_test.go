package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
)

// The Cloud Firewall form asks on/off flags as switches worded Off and On
// (sending "0" and "1" as before), and folds the fields whose meaning
// Tencent Cloud does not document under "Advanced", still in the form.
func TestCloudFirewallFormInWords(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	resp, body := alice.get("/orders/new/billing")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("billing form: %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	flag := doc.Find(`select#cfw-sv_cloudfirewall_extended_clasps`)
	if flag.Length() != 1 {
		t.Fatal("the log analysis flag is not a select")
	}
	var words []string
	flag.Find("option").Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		words = append(words, v+"="+o.Text())
	})
	if got := strings.Join(words, ","); got != "=Not sent,0=Off,1=On" {
		t.Errorf("flag choices %q", got)
	}
	if strings.Contains(body, "0 off, 1 on") || strings.Contains(body, "Meaning not documented") {
		t.Error("the form still speaks in codes")
	}
	adv := doc.Find(`[data-testid="cfw-advanced"]`)
	if adv.Find(`#cfw-sv_cloudfirewall_basic_mon`).Length() != 1 || adv.Find(`#cfw-sv_cloudfirewall_extended_ibtesps`).Length() != 0 {
		t.Error("the undocumented fields are not (alone) under Advanced")
	}
	if v, _ := adv.Find(`#cfw-sv_cloudfirewall_basic_mon`).Attr("value"); v != "0" {
		t.Errorf("an undocumented field's default is %q, want 0", v)
	}
}

// selected is the value of a select's chosen option on a page.
func selected(doc *goquery.Document, id string) string {
	v, _ := doc.Find(`select#` + id + ` option[selected]`).Attr("value")
	return v
}

func inputValue(doc *goquery.Document, id string) string {
	v, _ := doc.Find(`#` + id).Attr("value")
	return v
}

// Without scripts, CloudBase's plan and Billing's region are named
// choices whose codes sit under Advanced: changing the choice sets the
// code; a code typed under Advanced stands and the choice then reads
// "Other", with Advanced open; the two never disagree.
func TestNamedChoicesAndTheirCodesWithoutScripts(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	doc := alice.page("/orders/new/tcb")
	var plans []string
	doc.Find(`select#PackagePick option`).Each(func(_ int, o *goquery.Selection) {
		v, _ := o.Attr("value")
		plans = append(plans, v+"="+o.Text())
	})
	if got := strings.Join(plans, ","); got != "=Choose,baas_personal=Personal edition,baas_team=Team edition,education_demo=Education trial edition,_other=Other (type the code under Advanced)" {
		t.Errorf("plan choices %q", got)
	}
	adv := doc.Find(`[data-testid="tcb-advanced"]`)
	if _, open := adv.Attr("open"); open || adv.Find(`#PackageId`).Length() != 1 || adv.Find(`#Source`).Length() != 1 {
		t.Error("the package code and the source are not folded under Advanced")
	}

	form := formOnPage(t, doc, "order-form")
	form.Set("PackagePick", "baas_team")
	form.Set("op", "preview")
	_, body := alice.post("/orders/new/tcb", form)
	doc = parseHTML(t, body)
	if inputValue(doc, "PackageId") != "baas_team" || selected(doc, "PackagePick") != "baas_team" {
		t.Fatalf("choosing the team plan: code %q, choice %q", inputValue(doc, "PackageId"), selected(doc, "PackagePick"))
	}
	form = formOnPage(t, doc, "order-form")
	form.Set("PackageId", "baas_custom_plan")
	form.Set("op", "preview")
	_, body = alice.post("/orders/new/tcb", form)
	doc = parseHTML(t, body)
	if inputValue(doc, "PackageId") != "baas_custom_plan" || selected(doc, "PackagePick") != otherPick {
		t.Fatalf("a typed code: code %q, choice %q", inputValue(doc, "PackageId"), selected(doc, "PackagePick"))
	}
	if _, open := doc.Find(`[data-testid="tcb-advanced"]`).Attr("open"); !open {
		t.Error("a typed code's Advanced part is folded")
	}
	if !strings.Contains(doc.Find(`[data-testid="preview-body"]`).Text(), `"PackageId":"baas_custom_plan"`) {
		t.Errorf("the preview does not send the typed code: %s", doc.Find(`[data-testid="preview-body"]`).Text())
	}

	doc = alice.page("/orders/new/billing")
	if got := doc.Find(`select#RegionPick option[value="ap-shanghai"]`).Text(); got != "Shanghai" {
		t.Errorf("the Shanghai region reads %q", got)
	}
	form = formOnPage(t, doc, "order-form")
	form.Set("RegionPick", "ap-shanghai")
	form.Set("op", "preview")
	_, body = alice.post("/orders/new/billing", form)
	doc = parseHTML(t, body)
	if inputValue(doc, "RegionCode") != "ap-shanghai" || selected(doc, "RegionPick") != "ap-shanghai" {
		t.Fatalf("choosing Shanghai: code %q, choice %q", inputValue(doc, "RegionCode"), selected(doc, "RegionPick"))
	}
}

// asciiWord is a run of Latin letters: on a Chinese page an option may
// hold product names and units, never an English word.
var asciiWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// The forms' choices are in the reader's language: on Chinese pages no
// option of a product's part reads in English or shows its API code.
func TestOrderFormChoicesInChinese(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, _ := env.loggedIn("alice", auth.RoleRequester)
	if resp, _ := alice.post("/language", url.Values{"language": {"zh-CN"}, "next": {"/orders"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("language switch: %d", resp.StatusCode)
	}
	allowed := map[string]bool{"SaaS": true, "WAF": true, "CLB": true, "CDN": true, "API": true, "Bot": true, "QPS": true,
		"DNS": true, "VPC": true, "JSON": true, "Gbps": true, "Mbps": true}
	for _, p := range []string{"/orders/new/waf", "/orders/new/billing", "/orders/new/billing_renew", "/orders/new/tcb"} {
		doc := alice.page(p)
		doc.Find(`form[data-testid="order-form"] select`).Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("id")
			if id == "account" || id == "cost_centre_id" || id == "MicroVersion" || strings.HasSuffix(id, "-MicroVersion") {
				return // people's names for accounts; MicroVersion is a code under Advanced
			}
			s.Find("option").Each(func(_ int, o *goquery.Selection) {
				for _, w := range asciiWord.FindAllString(o.Text(), -1) {
					if !allowed[w] {
						t.Errorf("%s: %s offers %q on a Chinese page", p, id, o.Text())
					}
				}
			})
		})
		doc.Find(`form[data-testid="order-form"] .hint`).Each(func(_ int, h *goquery.Selection) {
			if strings.Contains(h.Text(), "The codes below") {
				t.Errorf("%s: an English note on a Chinese page: %q", p, h.Text())
			}
		})
	}
}
