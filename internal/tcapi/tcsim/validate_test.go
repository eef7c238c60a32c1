package tcsim

import (
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
)

// The sandbox's own rules (decode.go, validate.go) refuse requests that
// never went through tcapi's rules: each body here is one the client's
// validator refuses too, and the sandbox refuses it by itself, with its own
// types and code, so a loosened or broken client rule cannot make the
// sandbox buy what the real service would refuse.
func TestOwnRulesRefuseWithoutTheClient(t *testing.T) {
	t.Parallel()
	const (
		waf     = `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"AutoRenewFlag":1}}]}`
		billing = `{"ClientToken":"t","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay","Parameter":"{}","Quantity":1,"Period":36,"PeriodUnit":"m","RenewFlag":"NOTIFY_AND_AUTO_RENEW"}`
		tcb     = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","TimeSpan":1,"TimeUnit":"m","Source":"qcloud","Alias":"cloud","ResourceTypes":["flexdb"]}`
		deals   = `{"StartTime":"2025-01-01 00:00:00","EndTime":"2025-01-31 23:59:59","Limit":20}`
	)
	r := func(base, old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("%q is not in %s", old, base)
		}
		return strings.Replace(base, old, new, 1)
	}
	tests := []struct {
		name, action, region, body string
		code, path                 string // empty: passes
	}{
		{"waf: realistic", "GenerateDealsAndPayNew", "ap-guangzhou", waf, "", ""},
		{"waf: region", "GenerateDealsAndPayNew", "ap-beijing", waf, tcapi.CodeUnsupportedRegion, "Region"},
		{"waf: no region", "GenerateDealsAndPayNew", "", waf, tcapi.CodeMissingParameter, "Region"},
		{"waf: no goods", "GenerateDealsAndPayNew", "ap-guangzhou", `{"Goods":[]}`, tcapi.CodeMissingParameter, "Goods"},
		{"waf: goods in lower case", "GenerateDealsAndPayNew", "ap-guangzhou", `{"goods":[]}`, tcapi.CodeUnknownParameter, "goods"},
		{"waf: GoodsNum a string", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"GoodsNum":1`, `"GoodsNum":"1"`), tcapi.CodeInvalidParameter, "Goods[0].GoodsNum"},
		{"waf: GoodsNum huge", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"GoodsNum":1`, `"GoodsNum":4611686018427387904`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsNum"},
		{"waf: category", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `102375`, `1`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsCategoryId"},
		{"waf: sub-product of another edition", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `sp_wsm_waf_premium`, `sp_wsm_waf_enterprise`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.SubProductCode"},
		{"waf: Pid of another edition", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `1000827`, `1000830`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.Pid"},
		{"waf: RegionId", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"RegionId":1`, `"RegionId":2`), tcapi.CodeInvalidParameterValue, "Goods[0].RegionId"},
		{"waf: AutoRenewFlag", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"AutoRenewFlag":1`, `"AutoRenewFlag":2`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.AutoRenewFlag"},
		{"waf: TimeUnit", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"TimeUnit":"m"`, `"TimeUnit":"p"`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.TimeUnit"},
		{"waf: TimeSpan", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"TimeSpan":1`, `"TimeSpan":99999`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.TimeSpan"},
		{"waf: change without CurDeadline", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `102375`, `102377`), tcapi.CodeMissingParameter, "Goods[0].GoodsDetail.CurDeadline"},
		{"waf: labels unpaired", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"AutoRenewFlag":1`, `"AutoRenewFlag":1,"LabelTypes":["sv_wsm_waf_domain"]`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.LabelCounts"},
		{"waf: label abc", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"AutoRenewFlag":1`, `"AutoRenewFlag":1,"LabelTypes":["abc"],"LabelCounts":[1]`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.LabelTypes[0]"},
		{"waf: CLB label on a SaaS line", "GenerateDealsAndPayNew", "ap-guangzhou", r(waf, `"AutoRenewFlag":1`, `"AutoRenewFlag":1,"LabelTypes":["sv_wsm_waf_package_premium_clb"],"LabelCounts":[1]`), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.LabelTypes[0]"},
		{"billing: realistic", "CreateInstance", "", billing, "", ""},
		{"billing: token", "CreateInstance", "", r(billing, `"t"`, `"`+strings.Repeat("a", 65)+`"`), tcapi.CodeInvalidParameterValue, "ClientToken"},
		{"billing: zone", "CreateInstance", "", r(billing, `"ZoneCode":"ap-guangzhou-1",`, ``), tcapi.CodeMissingParameter, "ZoneCode"},
		{"billing: zone of another region", "CreateInstance", "", r(billing, `ap-guangzhou-1`, `ap-shanghai-1`), tcapi.CodeInvalidParameterValue, "ZoneCode"},
		{"billing: PayMode", "CreateInstance", "", r(billing, `PrePay`, `PostPay`), tcapi.CodeInvalidParameterValue, "PayMode"},
		{"billing: Parameter", "CreateInstance", "", r(billing, `"{}"`, `"[1]"`), tcapi.CodeInvalidParameterValue, "Parameter"},
		{"billing: Quantity", "CreateInstance", "", r(billing, `"Quantity":1`, `"Quantity":9223372036854775807`), tcapi.CodeNumLimitError, "Quantity"},
		{"billing: Period", "CreateInstance", "", r(billing, `"Period":36`, `"Period":37`), tcapi.CodeInvalidParameterValue, "Period"},
		{"billing: PeriodUnit", "CreateInstance", "", r(billing, `"PeriodUnit":"m"`, `"PeriodUnit":"d"`), tcapi.CodeInvalidParameterValue, "PeriodUnit"},
		{"billing: RenewFlag", "CreateInstance", "", r(billing, `NOTIFY_AND_AUTO_RENEW`, `AUTO`), tcapi.CodeInvalidParameterValue, "RenewFlag"},
		{"billing: unknown parameter", "CreateInstance", "", r(billing, `"Quantity":1`, `"Quantity":1,"DryRun":true`), tcapi.CodeUnknownParameter, "DryRun"},
		{"renew: no InstanceId", "RenewInstance", "", `{"ClientToken":"t","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou"}`, tcapi.CodeMissingParameter, "InstanceId"},
		{"renew: Period", "RenewInstance", "", `{"ClientToken":"t","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","InstanceId":"cfw-1","Period":37}`, tcapi.CodeInvalidParameterValue, "Period"},
		{"tcb: realistic", "CreateBillDeal", "", tcb, "", ""},
		{"tcb: DealType", "CreateBillDeal", "", r(tcb, `"purchase"`, `"buy"`), tcapi.CodeInvalidParameterValue, "DealType"},
		{"tcb: ProductType", "CreateBillDeal", "", r(tcb, `"ProductType":"tcb-baas",`, ``), tcapi.CodeMissingParameter, "ProductType"},
		{"tcb: PackageId", "CreateBillDeal", "", r(tcb, `"baas_personal"`, `""`), tcapi.CodeMissingParameter, "PackageId"},
		{"tcb: plan by the day", "CreateBillDeal", "", r(tcb, `"TimeUnit":"m"`, `"TimeUnit":"d"`), tcapi.CodeInvalidParameterValue, "TimeUnit"},
		{"tcb: once twice", "CreateBillDeal", "", r(r(tcb, `"TimeUnit":"m"`, `"TimeUnit":"p"`), `"TimeSpan":1`, `"TimeSpan":2`), tcapi.CodeInvalidParameterValue, "TimeSpan"},
		{"tcb: renew without ResourceId", "CreateBillDeal", "", r(r(r(tcb, `"purchase"`, `"renew"`), `"Alias":"cloud",`, ``), `,"ResourceTypes":["flexdb"]`, ``), tcapi.CodeMissingParameter, "ResourceId"},
		{"tcb: Source", "CreateBillDeal", "", r(tcb, `qcloud`, `web`), tcapi.CodeInvalidParameterValue, "Source"},
		{"tcb: Alias", "CreateBillDeal", "", r(tcb, `"cloud"`, `"my--env"`), tcapi.CodeInvalidParameterValue, "Alias"},
		{"tcb: ResourceTypes", "CreateBillDeal", "", r(tcb, `"flexdb"`, `"gpu"`), tcapi.CodeInvalidParameterValue, "ResourceTypes[0]"},
		{"tcb: pack without EnvId", "CreateBillDeal", "", `{"DealType":"purchase","ProductType":"tcb-package","PackageId":"pkg_tcb_api_invoke_num","TimeUnit":"p"}`, tcapi.CodeMissingParameter, "EnvId"},
		{"deals: realistic", "DescribeDealsByCond", "", deals, "", ""},
		{"deals: EndTime before StartTime", "DescribeDealsByCond", "", r(deals, `2025-01-31 23:59:59`, `2024-12-31 00:00:00`), tcapi.CodeInvalidParameterValue, "EndTime"},
		{"deals: Limit", "DescribeDealsByCond", "", r(deals, `"Limit":20`, `"Limit":1001`), tcapi.CodeInvalidParameterValue, "Limit"},
		{"deals: Status", "DescribeDealsByCond", "", r(deals, `"Limit":20`, `"Limit":20,"Status":13`), tcapi.CodeInvalidParameterValue, "Status"},
	}
	for _, tt := range tests {
		var req any
		var rule func(any, string) *apiError
		for _, rt := range routes {
			if rt.Name == tt.action {
				req, rule = rt.newRequest(), rt.validate
			}
		}
		e := decodeStrict([]byte(tt.body), req)
		if e == nil {
			e = rule(req, tt.region)
		}
		switch {
		case tt.code == "" && e != nil:
			t.Errorf("%s: %s %s, want nothing", tt.name, e.Code, e.Message)
		case tt.code != "" && (e == nil || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.path+":")):
			t.Errorf("%s: %+v, want %s on %s", tt.name, e, tt.code, tt.path)
		}
		// The client refuses the same bodies: the sandbox is a second,
		// independent opinion, not a looser one.
		if tt.code != "" {
			for _, a := range tcapi.Actions() {
				if a.Name == tt.action {
					if _, err := tcapi.ParseRequest(a, []byte(tt.body), tt.region); err == nil {
						t.Errorf("%s: tcapi accepts what the sandbox refuses", tt.name)
					}
				}
			}
		}
	}
}
