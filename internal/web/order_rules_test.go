package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
)

// formRule is one refusal the form must show next to the right control.
type formRule struct {
	name    string
	product string
	values  url.Values
	// id is the control (or group of controls) that must carry the error,
	// and want a part of its message.
	id, want string
}

// TestEveryRuleShowsItsMessageNextToItsField posts, for every rule of the
// client's validation (internal/tcapi/rules_test.go lists them) that a form
// can break, a form breaking it, and checks the 422 page: the message is
// under the control that produced the parameter, tied to it with
// aria-describedby, the control keeps what was sent, and nothing is saved.
//
// The rules no form can break, and why:
//   - ClientToken (missing, too long, spaces, not ASCII): the console makes
//     the token and ignores any sent (TestSeedExamplesComposeThroughTheForms
//     sends one).
//   - A missing GoodsDetail: every Goods entry is sent with one.
//   - Unknown parameters, names in the wrong case, and values of the wrong
//     JSON type: the form's names are fixed and it converts every value
//     itself; input that does not convert ("1.5" for a count) is refused by
//     the form with its own message, tested below.
//   - An empty Alias: an empty input is never sent.
//   - DescribeDealsByCond and DescribeAccountBalance: not orders.
func TestEveryRuleShowsItsMessageNextToItsField(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	off := env.newAccount("old")
	if _, err := env.pool.Exec(context.Background(), "UPDATE tencentcloud_accounts SET disabled = true WHERE id = $1", off); err != nil {
		t.Fatal(err)
	}
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	waf, billing, tcb := wafValues(acct), billingRawValues(acct), tcbValues(acct)
	w := func(name, id, want string, pairs ...string) formRule {
		return formRule{name, "waf", form(waf, pairs...), id, want}
	}
	b := func(name, id, want string, pairs ...string) formRule {
		return formRule{name, "billing", form(billing, pairs...), id, want}
	}
	tc := func(name, id, want string, pairs ...string) formRule {
		return formRule{name, "tcb", form(tcb, pairs...), id, want}
	}
	noGoods := url.Values{}
	for k, v := range waf {
		if !strings.HasPrefix(k, "g0-") {
			noGoods[k] = v
		}
	}
	twoTypes := form(tcb, "ResourceTypes", "flexdb")
	twoTypes.Add("ResourceTypes", "gpu")
	secondLine := form(waf, "g1-GoodsNum", "1", "g1-edition", "", "g1-TimeUnit", "x")

	rules := []formRule{
		// The order itself.
		w("no title", "title", "Give the order a title", "title", " "),
		w("long title", "title", "Keep the title to 200 characters", "title", strings.Repeat("x", 201)),
		w("no justification", "justification", "Say why this purchase is needed", "justification", ""),
		w("no account", "account", "Choose the Tencent Cloud account", "account", ""),
		w("account not a number", "account", "Choose the Tencent Cloud account", "account", "first"),
		w("disabled account", "account", "does not exist or is disabled", "account", off),

		// WAF GenerateDealsAndPayNew.
		w("no region", "Region", "Region: is required", "Region", ""),
		w("region outside the three", "Region", "offered only in ap-guangzhou, ap-seoul or ap-singapore", "Region", "ap-beijing"),
		{"no Goods", "waf", noGoods, "goods", "Goods: is required"},
		w("no GoodsNum", "g0-GoodsNum", "GoodsNum: is required", "g0-GoodsNum", ""),
		w("GoodsNum 0", "g0-GoodsNum", "GoodsNum: must be at least 1, not 0", "g0-GoodsNum", "0"),
		w("GoodsNum not a number", "g0-GoodsNum", "Enter a whole number", "g0-GoodsNum", "one"),
		w("GoodsNum 1.5", "g0-GoodsNum", "Enter a whole number", "g0-GoodsNum", "1.5"),
		w("unknown category", "g0-GoodsCategoryId", "1 is not a WAF goods category", "g0-GoodsCategoryId", "1"),
		w("RegionId 2", "g0-RegionId", "must be 1 (Chinese mainland) or 9", "g0-RegionId", "2"),
		w("TimeSpan 0", "g0-TimeSpan", "TimeSpan: must be at least 1", "g0-TimeSpan", "0"),
		w("TimeUnit w", "g0-TimeUnit", `TimeUnit: must be d (days), m (months) or y (years), not "w"`, "g0-TimeUnit", "w"),
		w("new purchase without SubProductCode", "g0-SubProductCode", "is required for a new purchase or a renewal", "g0-SubProductCode", ""),
		w("unknown SubProductCode", "g0-SubProductCode", `"abc" is not a WAF sub-product code`, "g0-SubProductCode", "abc"),
		w("SubProductCode of another edition", "g0-SubProductCode", "must be sp_wsm_waf_premium to match the goods category",
			"g0-SubProductCode", "sp_wsm_waf_enterprise"),
		w("unknown Pid", "g0-Pid", "0 is not a WAF product id", "g0-Pid", "0"),
		w("Pid of another edition", "g0-Pid", "must be 1000827 to go with sp_wsm_waf_premium", "g0-Pid", "1000830"),
		w("Pid and SubProductCode apart, no category", "g0-Pid", "must be 1000827 to go with sp_wsm_waf_premium",
			"g0-GoodsCategoryId", "", "g0-Pid", "1000830"),
		w("AutoRenewFlag 2", "g0-AutoRenewFlag", "must be 1 (renew automatically) or 0", "g0-AutoRenewFlag", "2"),
		w("RealRegion 0", "g0-RealRegion", "must be a WAF region code (1 or more), not 0", "g0-RealRegion", "0"),
		w("SaaS RealRegion outside the RegionId", "g0-RealRegion", "5 is not a SaaS WAF region for RegionId 1", "g0-RealRegion", "5"),
		w("more label types than counts", "g0-labels", "must have one count per LabelTypes entry",
			"g0-l1-type", "sv_wsm_waf_domain", "g0-l1-count", ""),
		w("empty label type", "g0-l0-type", "LabelTypes[0]: is required", "g0-l0-type", ""),
		w("label count 0", "g0-l0-count", "LabelCounts[0]: must be at least 1, not 0", "g0-l0-count", "0"),
		// An empty pair before it is not sent, so the API's second element
		// is the form's third row.
		w("label count 0 after an empty row", "g0-l2-count", "LabelCounts[1]: must be at least 1",
			"g0-l1-type", "", "g0-l1-count", "", "g0-l2-type", "sv_wsm_waf_domain", "g0-l2-count", "0"),
		w("CurDeadline not a time", "g0-CurDeadline", "must be a time written like 2023-02-28 17:38:59", "g0-CurDeadline", "abc"),
		w("change of configuration without CurDeadline", "g0-CurDeadline", "is required for a change of configuration",
			"g0-edition", "", "g0-GoodsCategoryId", "102377", "g0-InstanceId", "waf_000001"),
		w("add-on without InstanceId", "g0-InstanceId", "is required for an add-on",
			"g0-edition", "", "g0-GoodsCategoryId", "1025564", "g0-Pid", "1016997", "g0-SubProductCode", "sp_wsm_waf_bot_protection",
			"g0-l0-type", "", "g0-l0-count", ""),
		w("MicroVersion waf", "g0-MicroVersion", `must be clb-waf (WAF on CLB) or saas-waf (SaaS WAF), not "waf"`, "g0-MicroVersion", "waf"),
		w("MicroVersion of the other flavour", "g0-MicroVersion", "must be saas-waf for sp_wsm_waf_premium", "g0-MicroVersion", "clb-waf"),
		{"the second line is checked too", "waf", secondLine, "g1-TimeUnit", `TimeUnit: must be d (days), m (months) or y (years), not "x"`},
		// The form's own rules.
		w("renewal without the instance", "g0-InstanceId", "is required to renew or change an instance",
			"g0-edition", "", "g0-GoodsCategoryId", "102376"),
		w("add-on renewal preset", "g0-preset", "There is no such preset", "g0-edition", "bot", "g0-kind", "renew"),
		w("preset changed over codes edited by hand", "g0-preset", "You changed the preset",
			"g0-edition", "enterprise", "g0-GoodsCategoryId", "102376", "g0-InstanceId", "waf_1"),

		// Billing CreateInstance.
		b("no ProductCode", "ProductCode", "ProductCode: is required", "ProductCode", ""),
		b("no SubProductCode", "SubProductCode", "SubProductCode: is required", "SubProductCode", ""),
		b("no RegionCode", "RegionCode", "RegionCode: is required", "RegionCode", ""),
		b("no ZoneCode", "ZoneCode", "ZoneCode: is required", "ZoneCode", ""),
		b("no PayMode", "PayMode", "PayMode: is required", "PayMode", ""),
		b("PayMode PostPay", "PayMode", `must be PrePay (pay upfront), not "PostPay"`, "PayMode", "PostPay"),
		b("no Parameter", "Parameter", "Parameter: is required", "Parameter", ""),
		b("Parameter not JSON", "Parameter", "must be a JSON object", "Parameter", "pid=1002147"),
		b("Parameter a JSON array", "Parameter", "must be a JSON object", "Parameter", "[1002147]"),
		b("Quantity 0", "Quantity", "Quantity: must be at least 1, not 0", "Quantity", "0"),
		b("Quantity not a number", "Quantity", "Enter a whole number", "Quantity", "many"),
		b("ProjectId -1", "ProjectId", "ProjectId: must be at least 0, not -1", "ProjectId", "-1"),
		b("Period 0", "Period", "Period: must be from 1 to 36, not 0", "Period", "0"),
		b("Period 37", "Period", "Period: must be from 1 to 36, not 37", "Period", "37"),
		b("PeriodUnit d", "PeriodUnit", `must be m (months) or y (years), not "d"`, "PeriodUnit", "d"),
		b("RenewFlag AUTO", "RenewFlag", `must be NOTIFY_AND_MANUAL_RENEW (renew by hand), NOTIFY_AND_AUTO_RENEW (renew automatically) or DISABLE_NOTIFY_AND_MANUAL_RENEW (do not renew), not "AUTO"`,
			"RenewFlag", "AUTO"),
		// The Parameter builders' own rules.
		b("firewall without an edition", "cfw-edition", "Choose the Cloud Firewall edition", "mode", "cfw", "cfw-goodsNum", "1"),
		b("firewall count below 0", "cfw-sv_cloudfirewall_extended_ates", "Enter a whole number, 0 or more",
			"mode", "cfw", "cfw-edition", "sv_cloudfirewall_basic_aeps", "cfw-sv_cloudfirewall_extended_ates", "-10"),
		b("firewall flag 2", "cfw-sv_cloudfirewall_extended_spt", "Enter 0 (off) or 1 (on)",
			"mode", "cfw", "cfw-edition", "sv_cloudfirewall_basic_aeps", "cfw-sv_cloudfirewall_extended_spt", "2"),
		b("workload protection without an amount", "cwp-la", "Enter the log analytics amount", "mode", "cwp"),

		// TCB CreateBillDeal.
		tc("no DealType", "DealType", "DealType: is required", "DealType", ""),
		tc("DealType buy", "DealType", `must be purchase (new purchase), renew (renewal) or modify (change of plan), not "buy"`, "DealType", "buy"),
		tc("no ProductType", "ProductType", "ProductType: is required", "ProductType", ""),
		tc("ProductType tcb-gpu", "ProductType", `not "tcb-gpu"`, "ProductType", "tcb-gpu"),
		tc("no PackageId", "PackageId", "PackageId: is required", "PackageId", ""),
		tc("CreateAndPay neither yes nor no", "CreateAndPay", "Choose yes, no or not sent", "CreateAndPay", "yes"),
		tc("TimeSpan 0", "TimeSpan", "TimeSpan: must be at least 1, not 0", "TimeSpan", "0"),
		tc("TimeUnit w", "TimeUnit", `must be d (days), m (months), y (years) or p (once), not "w"`,
			"TimeUnit", "w", "ProductType", "tcb-package", "EnvId", "env-1"),
		tc("plan bought by the day", "TimeUnit", "must be m (months) to buy or renew a tcb-baas plan", "TimeUnit", "d"),
		tc("plan renewed by the year", "TimeUnit", "must be m (months) to buy or renew a tcb-baas plan",
			"DealType", "renew", "ResourceId", "env-1", "TimeUnit", "y"),
		tc("renew without ResourceId", "ResourceId", "is required to renew or modify", "DealType", "renew"),
		tc("modify without ResourceId", "ResourceId", "is required to renew or modify", "DealType", "modify", "ModifyPackageId", "baas_team"),
		tc("modify without ModifyPackageId", "ModifyPackageId", "is required to modify", "DealType", "modify", "ResourceId", "env-1"),
		tc("Source web", "Source", `must be qcloud (Tencent Cloud) or miniapp (mini program), not "web"`, "Source", "web"),
		tc("Alias of 21 characters", "Alias", "must be 1 to 20 characters", "Alias", "dealdesk-env-00000001"),
		tc("Alias with capitals", "Alias", `not "Cloud"`, "Alias", "Cloud"),
		tc("Alias with an underscore", "Alias", `not "my_env"`, "Alias", "my_env"),
		tc("Alias starting with -", "Alias", `not "-env"`, "Alias", "-env"),
		tc("Alias ending with -", "Alias", `not "env-"`, "Alias", "env-"),
		tc("Alias with --", "Alias", `not "my--env"`, "Alias", "my--env"),
		tc("Alias on a renewal", "Alias", "is only for a new tcb-baas purchase", "DealType", "renew", "ResourceId", "env-1", "Alias", "cloud"),
		tc("promotion pack without EnvId", "EnvId", "is required for a tcb-promotion", "ProductType", "tcb-promotion", "TimeUnit", "d"),
		tc("resource pack without EnvId", "EnvId", "is required for a tcb-package", "ProductType", "tcb-package"),
		tc("Extension not JSON", "Extension", "must be JSON text", "Extension", "{"),
		{"resource type gpu", "tcb", twoTypes, "ResourceTypes", `ResourceTypes[1]: must be flexdb (database), cos (storage), cdn (CDN) or scf (functions), not "gpu"`},
		tc("resource types on a renewal", "ResourceTypes", "is only for a new tcb-baas purchase",
			"DealType", "renew", "ResourceId", "env-1", "ResourceTypes", "flexdb"),
		tc("tag without Value", "tag0-Value", "Value: is required", "tag0-Key", "team", "tag0-Value", ""),
		tc("tag without Key", "tag0-Key", "Key: is required", "tag0-Key", "", "tag0-Value", "sec"),
		// An empty tag row is not sent: the API's first tag is the form's second row.
		tc("tag without Value after an empty row", "tag1-Value", "Value: is required",
			"tag0-Key", "", "tag0-Value", "", "tag1-Key", "team", "tag1-Value", ""),
		tc("tags on a promotion pack", "EnvTags", "is only for a new tcb-baas purchase",
			"ProductType", "tcb-promotion", "EnvId", "env-1", "TimeUnit", "d", "tag0-Key", "team", "tag0-Value", "sec"),
	}
	for _, r := range rules {
		resp, body := c.post("/orders/new/"+r.product, r.values)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", r.name, resp.StatusCode)
			continue
		}
		doc := parseHTML(t, body)
		before := t.Failed()
		fieldError(t, doc, r.id, r.want)
		if !before && t.Failed() {
			t.Logf("in case %q", r.name)
		}
		// The control keeps what was sent (the name of a control is its id).
		control := goquery.NodeName(byID(doc, r.id)) != "fieldset"
		if sent, ok := r.values[r.id]; ok && len(sent) == 1 && control {
			if got := value(doc, r.id); got != sent[0] && got != strings.TrimSpace(sent[0]) {
				t.Errorf("%s: %s shows %q after the refusal, sent %q", r.name, r.id, got, sent[0])
			}
		}
		if doc.Find(`[data-testid="form-error"]`).Length() != 1 {
			t.Errorf("%s: no summary saying nothing was saved", r.name)
		}
	}
	if n := env.orderCount(); n != 0 {
		t.Fatalf("%d orders saved from refused forms", n)
	}
}
