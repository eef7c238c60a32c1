package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dealdesk/internal/auth"
)

// seedBodies reads the request bodies of the API documents' examples, in
// document order, from the copies tcapi tests with.
func seedBodies(t *testing.T, file string) [][]byte {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "tcapi", "testdata", "seeds", file))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for i, part := range strings.Split(string(text), "POST / HTTP/1.1")[1:] {
		start := strings.Index(part, ">\n{")
		if start < 0 {
			t.Fatalf("%s example %d: no body", file, i+1)
		}
		var body json.RawMessage
		if err := json.NewDecoder(strings.NewReader(part[start+2:])).Decode(&body); err != nil {
			t.Fatalf("%s example %d: %v", file, i+1, err)
		}
		out = append(out, body)
	}
	return out
}

// The nine examples of the three API documents, composed through the forms
// with the values a person would type or choose, must be stored exactly as
// the documents write them (ClientToken aside: the console makes its own).
func TestSeedExamplesComposeThroughTheForms(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	about := url.Values{"op": {"save"}, "title": {"Seed example"}, "justification": {"From the API document."}, "account": {acct}}

	tcb := seedBodies(t, "tcb-CreateBillDeal.txt")
	billing := seedBodies(t, "billing-CreateInstance.txt")
	if len(tcb) != 7 || len(billing) != 1 {
		t.Fatalf("examples: %d TCB, %d billing", len(tcb), len(billing))
	}
	cases := []struct {
		name    string
		product string
		seed    []byte
		fields  []string
	}{
		{"tcb #1 new environment with resource types and tags", "tcb", tcb[0], []string{
			"DealType", "purchase", "ProductType", "tcb-baas", "PackageId", "baas_personal", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "m", "Source", "qcloud", "Alias", "cloud", "EnableExcess", "true", "AutoVoucher", "true",
			"ResourceTypes", "flexdb", "tag0-Key", "user", "tag0-Value", "jeffeng"}},
		{"tcb #2 change of plan", "tcb", tcb[1], []string{
			"DealType", "modify", "ProductType", "tcb-baas", "PackageId", "baas_personal", "CreateAndPay", "true",
			"ResourceId", "cloud-0g6kw62kbda53cb6", "EnvId", "cloud-0g6kw62kbda53cb6", "EnableExcess", "false", "ModifyPackageId", "baas_team"}},
		{"tcb #3 new plan", "tcb", tcb[2], []string{
			"DealType", "purchase", "ProductType", "tcb-baas", "PackageId", "baas_personal", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "m", "Alias", "cloud", "EnableExcess", "true"}},
		{"tcb #4 education plan", "tcb", tcb[3], []string{
			"DealType", "purchase", "ProductType", "tcb-baas", "PackageId", "education_demo", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "m", "Source", "qcloud", "Alias", "education"}},
		{"tcb #5 promotion pack", "tcb", tcb[4], []string{
			"DealType", "purchase", "ProductType", "tcb-promotion", "PackageId", "pkg_flexdb_promotion_3000", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "d", "EnvId", "cloud2-3gn8d5ah836cac09"}},
		{"tcb #6 resource pack", "tcb", tcb[5], []string{
			"DealType", "purchase", "ProductType", "tcb-package", "PackageId", "pkg_tcb_api_invoke_num", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "m", "EnvId", "cloud2-3gn8d5ah836cac09"}},
		{"tcb #7 renewal", "tcb", tcb[6], []string{
			"DealType", "renew", "ProductType", "tcb-baas", "PackageId", "baas_personal", "CreateAndPay", "true",
			"TimeSpan", "1", "TimeUnit", "m", "ResourceId", "cloud-2g248wj43786d54d", "EnvId", "cloud-2g248wj43786d54d", "EnableExcess", "true"}},
		// The Cloud Workload Protection example, its Parameter built from
		// the builder's one field and the term.
		{"billing #1 workload protection log analytics", "billing", billing[0], []string{
			"mode", "cwp", "RegionCode", "ap-guangzhou", "ZoneCode", "ap-guangzhou-1", "PayMode", "PrePay",
			"cwp-la", "50", "Quantity", "1", "Period", "1", "PeriodUnit", "m", "ProjectId", "0", "RenewFlag", "NOTIFY_AND_AUTO_RENEW",
			// A token typed into the form is ignored.
			"ClientToken", "46E6BF87-AF23-4710-8C82-21032D5F985F"}},
	}
	for _, tc := range cases {
		resp, body := c.post("/orders/new/"+tc.product, form(about, tc.fields...))
		id := savedOrderID(t, resp, body)
		o := env.order(id)
		if got, want := withoutToken(t, o.Params), withoutToken(t, tc.seed); got != want {
			t.Errorf("%s: stored\n%s\nwant\n%s", tc.name, got, want)
		}
		if tc.product == "billing" && (o.ClientToken == "" || strings.Contains(string(o.Params), "46E6BF87")) {
			t.Errorf("%s: ClientToken %q: the console must make its own", tc.name, o.ClientToken)
		}
	}
}

// The WAF document's example is a placeholder: GoodsNum 0, TimeUnit "abc",
// GoodsCategoryId 0, Pid 0, SubProductCode "abc", CurDeadline "abc"... It
// breaks the documented rules, and loosening the rules to let it through
// would let the same mistakes through in real orders. So typed into the
// form (custom codes, every value as the document has it), it is refused
// with each message next to its field and nothing is saved; a realistic
// WAF order (TestRealisticWAFOrder) shows the form's success path.
func TestSeedWAFExampleIsRefusedFieldByField(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	seed := seedBodies(t, "waf-GenerateDealsAndPayNew.txt")
	if len(seed) != 1 || !strings.Contains(string(seed[0]), `"TimeUnit": "abc"`) {
		t.Fatalf("the WAF example changed: %s", seed)
	}
	resp, body := c.post("/orders/new/waf", url.Values{
		"op": {"save"}, "title": {"Seed example"}, "justification": {"From the API document."}, "account": {acct},
		"Region": {"ap-guangzhou"}, "g0-edition": {""},
		"g0-GoodsCategoryId": {"0"}, "g0-GoodsNum": {"0"}, "g0-RegionId": {"0"},
		"g0-TimeSpan": {"0"}, "g0-TimeUnit": {"abc"}, "g0-SubProductCode": {"abc"}, "g0-Pid": {"0"},
		"g0-InstanceName": {"abc"}, "g0-AutoRenewFlag": {"0"}, "g0-RealRegion": {"0"},
		"g0-l0-type": {"abc"}, "g0-l0-count": {"0"}, "g0-CurDeadline": {"abc"}, "g0-InstanceId": {"abc"},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	for id, want := range map[string]string{
		"g0-GoodsCategoryId": "0 is not a WAF goods category",
		"g0-GoodsNum":        "must be at least 1",
		"g0-RegionId":        "must be 1 (Chinese mainland) or 9",
		"g0-TimeSpan":        "must be at least 1",
		"g0-TimeUnit":        `not "abc"`,
		"g0-SubProductCode":  `"abc" is not a WAF sub-product code`,
		"g0-Pid":             "0 is not a WAF product id",
		"g0-RealRegion":      "must be a WAF region code",
		"g0-l0-count":        "must be at least 1",
		"g0-CurDeadline":     "must be a time written like 2023-02-28 17:38:59",
	} {
		fieldError(t, doc, id, want)
	}
	// Every value typed is still there.
	for id, want := range map[string]string{"g0-TimeUnit": "abc", "g0-SubProductCode": "abc", "g0-InstanceName": "abc",
		"g0-l0-type": "abc", "g0-CurDeadline": "abc", "g0-InstanceId": "abc", "g0-GoodsNum": "0"} {
		if got := value(doc, id); got != want {
			t.Errorf("%s shows %q after the refusal, want %q", id, got, want)
		}
	}
	if n := env.orderCount(); n != 0 {
		t.Fatalf("%d orders saved from a refused form", n)
	}
}

func TestRealisticWAFOrder(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	acct := env.newAccount("main")
	c, _ := env.loggedIn("sam", auth.RoleRequester)
	resp, body := c.post("/orders/new/waf", wafValues(acct))
	o := env.order(savedOrderID(t, resp, body))
	want := `{"Goods":[{"GoodsCategoryId":102375,"GoodsDetail":{"AutoRenewFlag":1,"InstanceName":"dealdesk","LabelCounts":[1],` +
		`"LabelTypes":["sv_wsm_waf_package_premium"],"MicroVersion":"saas-waf","Pid":1000827,"RealRegion":1,` +
		`"SubProductCode":"sp_wsm_waf_premium","TimeSpan":1,"TimeUnit":"m"},"GoodsNum":1,"RegionId":1}]}`
	if string(o.Params) != want || o.Region != "ap-guangzhou" || o.Title != "WAF premium for shop" {
		t.Fatalf("stored %s in %q", o.Params, o.Region)
	}
}
