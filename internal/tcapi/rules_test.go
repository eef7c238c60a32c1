package tcapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

// Every documented rule has a failing and a passing case, and each case is
// checked on both sides: the client's Validate (after strict decoding) and
// the sandbox's answer to the same body sent unvalidated through SendRaw.

const (
	wafBase = `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{
		"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceName":"dealdesk",
		"AutoRenewFlag":1,"RealRegion":1,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1],"MicroVersion":"saas-waf"}}]}`
	billingBase = `{"ClientToken":"fresh","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1",
		"RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay","Parameter":"{\"pid\":1002147}"}`
	renewBase = `{"ClientToken":"fresh","ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1",
		"RegionCode":"ap-guangzhou","InstanceId":"cfw-a1b2c3d4"}`
	tcbBase   = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`
	dealsBase = `{"StartTime":"2025-01-01 00:00:00","EndTime":"2025-01-31 23:59:59","Limit":20}`
)

const (
	g0  = "Goods.0."
	gd0 = "Goods.0.GoodsDetail."
)

// edit is a change to a base body: set a dotted path ("Goods.0.GoodsNum") to
// a value, or delete it when the value is del.
type edit struct {
	path  string
	value any
}

var del = &struct{}{}

func set(path string, v any) edit { return edit{path, v} }
func unset(path string) edit      { return edit{path, del} }

type ruleCase struct {
	name   string
	action string
	region string
	base   string
	edits  []edit
	// path and code are the field error expected; an empty path means valid.
	path string
	code string
}

func ok(name, action, base string, edits ...edit) ruleCase {
	return ruleCase{name: name, action: action, base: base, edits: edits}
}

func bad(name, action, base, path, code string, edits ...edit) ruleCase {
	return ruleCase{name: name, action: action, base: base, edits: edits, path: path, code: code}
}

const (
	missing  = tcapi.CodeMissingParameter
	invalid  = tcapi.CodeInvalidParameterValue
	unknown  = tcapi.CodeUnknownParameter
	badType  = tcapi.CodeInvalidParameter
	numLimit = tcapi.CodeNumLimitError
)

// cfwParameter is a Cloud Firewall Parameter with every sv_* key the web
// form sends, each at a realistic value.
const cfwParameter = `{"pid":1002147,"productCode":"p_cloudfirewall","subProductCode":"sp_cloudfirewall_svv1","goodsNum":2,` +
	`"timeSpan":12,"timeUnit":"m","sv_cloudfirewall_basic_ueps":1,"sv_cloudfirewall_extended_ibtesps":20000,` +
	`"sv_cloudfirewall_extended_vpcbges":20,"sv_cloudfirewall_extended_ndr":0,"sv_cloudfirewall_extended_clasps":1,` +
	`"sv_cloudfirewall_extended_clsesps":10000,"sv_cloudfirewall_extended_pcs":0,"sv_cloudfirewall_extended_sub":0,` +
	`"sv_cloudfirewall_extended_subs":500,"sv_cloudfirewall_extended_ates":50,"sv_cloudfirewall_extended_spt":0}`

// repeatLine is n copies of wafBase's purchase line.
func repeatLine(n int) []any {
	var doc struct{ Goods []any }
	if err := json.Unmarshal([]byte(wafBase), &doc); err != nil {
		panic(err)
	}
	return repeatAny(doc.Goods[0], n)
}

func repeatAny(v any, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// manyTags is n tags with distinct keys.
func manyTags(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"Key": "k" + strconv.Itoa(i), "Value": "v"}
	}
	return out
}

func wafCase(c ruleCase) ruleCase {
	if c.region == "" {
		c.region = "ap-guangzhou"
	}
	return c
}

var ruleCases = []ruleCase{
	// WAF GenerateDealsAndPayNew.
	wafCase(ok("waf: realistic order", "GenerateDealsAndPayNew", wafBase)),
	{name: "waf: no region", action: "GenerateDealsAndPayNew", base: wafBase, region: "-", path: "Region", code: missing},
	{name: "waf: region outside the three", action: "GenerateDealsAndPayNew", base: wafBase, region: "ap-beijing", path: "Region", code: tcapi.CodeUnsupportedRegion},
	{name: "waf: ap-seoul", action: "GenerateDealsAndPayNew", base: wafBase, region: "ap-seoul"},
	{name: "waf: ap-singapore", action: "GenerateDealsAndPayNew", base: wafBase, region: "ap-singapore"},
	wafCase(bad("waf: no Goods", "GenerateDealsAndPayNew", wafBase, "Goods", missing, unset("Goods"))),
	wafCase(bad("waf: empty Goods", "GenerateDealsAndPayNew", wafBase, "Goods", missing, set("Goods", []any{}))),
	wafCase(bad("waf: no GoodsNum", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", missing, unset(g0+"GoodsNum"))),
	wafCase(bad("waf: GoodsNum 0", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", invalid, set(g0+"GoodsNum", 0))),
	wafCase(ok("waf: GoodsNum 3", "GenerateDealsAndPayNew", wafBase, set(g0+"GoodsNum", 3))),
	wafCase(bad("waf: GoodsNum as a string", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", badType, set(g0+"GoodsNum", "1"))),
	wafCase(bad("waf: GoodsNum 1.5", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", badType, set(g0+"GoodsNum", 1.5))),
	wafCase(bad("waf: no GoodsDetail", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail", missing, unset(g0+"GoodsDetail"))),
	wafCase(bad("waf: unknown category", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsCategoryId", invalid, set(g0+"GoodsCategoryId", 1))),
	wafCase(ok("waf: renewal category", "GenerateDealsAndPayNew", wafBase, set(g0+"GoodsCategoryId", 102376), set(gd0+"InstanceId", "waf_000001"))),
	wafCase(bad("waf: RegionId 2", "GenerateDealsAndPayNew", wafBase, "Goods[0].RegionId", invalid, set(g0+"RegionId", 2))),
	wafCase(ok("waf: RegionId 9 in Singapore", "GenerateDealsAndPayNew", wafBase, set(g0+"RegionId", 9), set(gd0+"RealRegion", 9))),
	wafCase(bad("waf: TimeSpan 0", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeSpan", invalid, set(gd0+"TimeSpan", 0))),
	wafCase(ok("waf: TimeSpan 12", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeSpan", 12))),
	wafCase(bad("waf: TimeUnit w", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeUnit", invalid, set(gd0+"TimeUnit", "w"))),
	wafCase(ok("waf: TimeUnit y", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeUnit", "y"))),
	wafCase(ok("waf: TimeUnit d", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeUnit", "d"))),
	wafCase(bad("waf: new purchase without SubProductCode", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.SubProductCode", missing, unset(gd0+"SubProductCode"))),
	wafCase(ok("waf: change of configuration without SubProductCode", "GenerateDealsAndPayNew", wafBase,
		set(g0+"GoodsCategoryId", 102377), unset(gd0+"SubProductCode"), set(gd0+"CurDeadline", "2026-02-28 17:38:59"), set(gd0+"InstanceId", "waf_000001"))),
	wafCase(bad("waf: unknown SubProductCode", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.SubProductCode", invalid, set(gd0+"SubProductCode", "abc"))),
	wafCase(bad("waf: SubProductCode of another edition", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.SubProductCode", invalid, set(gd0+"SubProductCode", "sp_wsm_waf_enterprise"))),
	wafCase(bad("waf: unknown Pid", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.Pid", invalid, set(gd0+"Pid", 0))),
	wafCase(bad("waf: Pid of another edition", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.Pid", invalid, set(gd0+"Pid", 1000830))),
	wafCase(bad("waf: Pid and SubProductCode apart, no category", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.Pid", invalid,
		unset(g0+"GoodsCategoryId"), set(gd0+"Pid", 1000830))),
	wafCase(ok("waf: Pid and SubProductCode together, no category", "GenerateDealsAndPayNew", wafBase, unset(g0+"GoodsCategoryId"))),
	wafCase(bad("waf: AutoRenewFlag 2", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.AutoRenewFlag", invalid, set(gd0+"AutoRenewFlag", 2))),
	wafCase(ok("waf: AutoRenewFlag 0", "GenerateDealsAndPayNew", wafBase, set(gd0+"AutoRenewFlag", 0))),
	wafCase(bad("waf: RealRegion 0", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.RealRegion", invalid, set(gd0+"RealRegion", 0))),
	wafCase(bad("waf: SaaS RealRegion outside the RegionId", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.RealRegion", invalid, set(gd0+"RealRegion", 5))),
	wafCase(ok("waf: SaaS RealRegion Shanghai", "GenerateDealsAndPayNew", wafBase, set(gd0+"RealRegion", 4))),
	wafCase(ok("waf: CLB is not bound to the SaaS region table", "GenerateDealsAndPayNew", wafBase,
		set(g0+"GoodsCategoryId", 101198), set(gd0+"Pid", 1001150), set(gd0+"SubProductCode", "sp_wsm_waf_premium_clb"),
		set(gd0+"MicroVersion", "clb-waf"), set(gd0+"RealRegion", 5), set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium_clb"}))),
	wafCase(bad("waf: more label types than counts", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelCounts", invalid,
		set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium", "sv_wsm_waf_domain"}))),
	wafCase(ok("waf: two label pairs", "GenerateDealsAndPayNew", wafBase,
		set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium", "sv_wsm_waf_domain"}), set(gd0+"LabelCounts", []any{1, 2}))),
	// LabelTypes are checked against the product row (issue 13).
	wafCase(bad("waf: label abc", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid, set(gd0+"LabelTypes", []any{"abc"}))),
	wafCase(bad("waf: label of another edition", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid,
		set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_ultimate"}))),
	wafCase(bad("waf: CLB label on a SaaS line", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid,
		set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium_clb"}))),
	wafCase(bad("waf: SaaS label on a CLB line", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid,
		set(g0+"GoodsCategoryId", 101198), set(gd0+"Pid", 1001150), set(gd0+"SubProductCode", "sp_wsm_waf_premium_clb"),
		set(gd0+"MicroVersion", "clb-waf"), set(gd0+"RealRegion", 5))),
	wafCase(bad("waf: edition label on a domain pack", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid,
		set(g0+"GoodsCategoryId", 102372), set(gd0+"Pid", 1000834), set(gd0+"SubProductCode", "sp_wsm_waf_domain"))),
	wafCase(ok("waf: domain pack with its label", "GenerateDealsAndPayNew", wafBase,
		set(g0+"GoodsCategoryId", 102372), set(gd0+"Pid", 1000834), set(gd0+"SubProductCode", "sp_wsm_waf_domain"), set(gd0+"LabelTypes", []any{"sv_wsm_waf_domain"}))),
	wafCase(ok("waf: edition sold outside the mainland", "GenerateDealsAndPayNew", wafBase, set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium_intl"}))),
	wafCase(ok("waf: edition with a QPS pack label", "GenerateDealsAndPayNew", wafBase,
		set(gd0+"LabelTypes", []any{"sv_wsm_waf_package_premium", "sv_wsm_waf_qps_ep"}), set(gd0+"LabelCounts", []any{1, 1}))),
	wafCase(bad("waf: empty label type", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", missing, set(gd0+"LabelTypes", []any{""}))),
	wafCase(bad("waf: label count 0", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelCounts[0]", invalid, set(gd0+"LabelCounts", []any{0}))),
	wafCase(bad("waf: CurDeadline not a time", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.CurDeadline", invalid, set(gd0+"CurDeadline", "abc"))),
	wafCase(ok("waf: CurDeadline a time", "GenerateDealsAndPayNew", wafBase, set(gd0+"CurDeadline", "2023-02-28 17:38:59"))),
	wafCase(bad("waf: change of configuration without CurDeadline", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.CurDeadline", missing,
		set(g0+"GoodsCategoryId", 102377))),
	wafCase(bad("waf: add-on without InstanceId", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceId", missing,
		set(g0+"GoodsCategoryId", 1025564), set(gd0+"Pid", 1016997), set(gd0+"SubProductCode", "sp_wsm_waf_bot_protection"))),
	wafCase(ok("waf: add-on for an instance", "GenerateDealsAndPayNew", wafBase,
		set(g0+"GoodsCategoryId", 1025564), set(gd0+"Pid", 1016997), set(gd0+"SubProductCode", "sp_wsm_waf_bot_protection"), set(gd0+"InstanceId", "waf_000001"))),
	wafCase(bad("waf: MicroVersion waf", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.MicroVersion", invalid, set(gd0+"MicroVersion", "waf"))),
	wafCase(bad("waf: MicroVersion of the other flavour", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.MicroVersion", invalid, set(gd0+"MicroVersion", "clb-waf"))),
	wafCase(ok("waf: ResourceId is carried", "GenerateDealsAndPayNew", wafBase, set(gd0+"ResourceId", "waf_res_1"))),
	wafCase(bad("waf: the second line is checked too", "GenerateDealsAndPayNew", wafBase, "Goods[1].GoodsDetail.TimeUnit", invalid,
		set("Goods.1", map[string]any{"GoodsNum": 1, "GoodsDetail": map[string]any{"TimeUnit": "x"}}))),
	wafCase(bad("waf: unknown nested parameter", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.Colour", unknown, set(gd0+"Colour", "red"))),
	wafCase(bad("waf: parameter name in the wrong case", "GenerateDealsAndPayNew", wafBase, "goods", unknown, set("goods", []any{}))),

	// WAF: bounds (issue 20). GoodsNum and the term have no documented
	// ceiling; see bounds.go for Dealdesk's and why.
	wafCase(bad("waf: GoodsNum at the int64 maximum", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", invalid, set(g0+"GoodsNum", int64(math.MaxInt64)))),
	wafCase(bad("waf: GoodsNum 101", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsNum", invalid, set(g0+"GoodsNum", 101))),
	wafCase(ok("waf: GoodsNum 100", "GenerateDealsAndPayNew", wafBase, set(g0+"GoodsNum", 100))),
	wafCase(bad("waf: 21 lines", "GenerateDealsAndPayNew", wafBase, "Goods", invalid, set("Goods", repeatLine(21)))),
	wafCase(ok("waf: 20 lines", "GenerateDealsAndPayNew", wafBase, set("Goods", repeatLine(20)))),
	wafCase(bad("waf: TimeSpan 37 months", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeSpan", invalid, set(gd0+"TimeSpan", 37))),
	wafCase(ok("waf: TimeSpan 36 months", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeSpan", 36))),
	wafCase(bad("waf: TimeSpan 4 years", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeSpan", invalid, set(gd0+"TimeUnit", "y"), set(gd0+"TimeSpan", 4))),
	wafCase(ok("waf: TimeSpan 3 years", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeUnit", "y"), set(gd0+"TimeSpan", 3))),
	wafCase(bad("waf: TimeSpan 1096 days", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeSpan", invalid, set(gd0+"TimeUnit", "d"), set(gd0+"TimeSpan", 1096))),
	wafCase(ok("waf: TimeSpan 1095 days", "GenerateDealsAndPayNew", wafBase, set(gd0+"TimeUnit", "d"), set(gd0+"TimeSpan", 1095))),
	wafCase(bad("waf: TimeSpan 99999 without a unit", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.TimeSpan", invalid, unset(gd0+"TimeUnit"), set(gd0+"TimeSpan", 99999))),
	wafCase(bad("waf: InstanceName of 129 characters", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceName", invalid, set(gd0+"InstanceName", strings.Repeat("名", 129)))),
	wafCase(ok("waf: InstanceName of 128 characters", "GenerateDealsAndPayNew", wafBase, set(gd0+"InstanceName", strings.Repeat("名", 128)))),
	wafCase(bad("waf: InstanceName of 900 KB", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceName", invalid, set(gd0+"InstanceName", strings.Repeat("a", 900<<10)))),
	wafCase(bad("waf: InstanceName with a bell", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceName", invalid, set(gd0+"InstanceName", "deal\adesk"))),
	wafCase(bad("waf: InstanceName with a right-to-left override", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceName", invalid, set(gd0+"InstanceName", "deal\u202Eksed"))),
	wafCase(bad("waf: ResourceId with a newline", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.ResourceId", invalid, set(gd0+"ResourceId", "waf_res_1\nx"))),
	wafCase(bad("waf: ResourceId with a space", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.ResourceId", invalid, set(gd0+"ResourceId", "waf res"))),
	wafCase(bad("waf: ResourceId of 65 characters", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.ResourceId", invalid, set(gd0+"ResourceId", strings.Repeat("r", 65)))),
	wafCase(bad("waf: InstanceId of 65 characters", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.InstanceId", invalid, set(gd0+"InstanceId", strings.Repeat("w", 65)))),
	wafCase(ok("waf: InstanceId of 64 characters", "GenerateDealsAndPayNew", wafBase, set(gd0+"InstanceId", strings.Repeat("w", 64)))),
	wafCase(bad("waf: label type with a control character", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid, set(gd0+"LabelTypes", []any{"sv_wsm_waf\u0001"}))),
	wafCase(bad("waf: label type with a space", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes[0]", invalid, set(gd0+"LabelTypes", []any{"sv wsm"}))),
	wafCase(bad("waf: 21 label pairs", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelTypes", invalid,
		set(gd0+"LabelTypes", repeatAny("sv_wsm_waf_domain", 21)), set(gd0+"LabelCounts", repeatAny(1, 21)))),
	wafCase(bad("waf: label count 10001", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.LabelCounts[0]", invalid, set(gd0+"LabelCounts", []any{10001}))),
	wafCase(ok("waf: label count 10000", "GenerateDealsAndPayNew", wafBase, set(gd0+"LabelCounts", []any{10000}))),
	wafCase(bad("waf: RealRegion 1000", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.RealRegion", invalid,
		set(g0+"GoodsCategoryId", 101198), set(gd0+"Pid", 1001150), set(gd0+"SubProductCode", "sp_wsm_waf_premium_clb"),
		set(gd0+"MicroVersion", "clb-waf"), set(gd0+"RealRegion", 1000))),
	wafCase(bad("waf: CurDeadline with a tab", "GenerateDealsAndPayNew", wafBase, "Goods[0].GoodsDetail.CurDeadline", invalid, set(gd0+"CurDeadline", "2023-02-28\t17:38:59"))),

	// Billing CreateInstance.
	ok("billing: required fields only", "CreateInstance", billingBase),
	ok("billing: every field", "CreateInstance", billingBase, set("Quantity", 1), set("ProjectId", 0), set("Period", 1), set("PeriodUnit", "m"), set("RenewFlag", "NOTIFY_AND_MANUAL_RENEW")),
	bad("billing: no ClientToken", "CreateInstance", billingBase, "ClientToken", missing, unset("ClientToken")),
	bad("billing: empty ClientToken", "CreateInstance", billingBase, "ClientToken", missing, set("ClientToken", "")),
	bad("billing: ClientToken of 65 characters", "CreateInstance", billingBase, "ClientToken", invalid, set("ClientToken", strings.Repeat("A", 65))),
	{name: "billing: ClientToken of 64 characters", action: "CreateInstance", base: billingBase, edits: []edit{set("ClientToken", "unique64")}},
	bad("billing: ClientToken with a space", "CreateInstance", billingBase, "ClientToken", invalid, set("ClientToken", "a b")),
	bad("billing: ClientToken not ASCII", "CreateInstance", billingBase, "ClientToken", invalid, set("ClientToken", "令牌")),
	bad("billing: no ProductCode", "CreateInstance", billingBase, "ProductCode", missing, unset("ProductCode")),
	bad("billing: no SubProductCode", "CreateInstance", billingBase, "SubProductCode", missing, unset("SubProductCode")),
	bad("billing: no RegionCode", "CreateInstance", billingBase, "RegionCode", missing, unset("RegionCode")),
	bad("billing: no ZoneCode", "CreateInstance", billingBase, "ZoneCode", missing, unset("ZoneCode")),
	bad("billing: no PayMode", "CreateInstance", billingBase, "PayMode", missing, unset("PayMode")),
	bad("billing: PayMode PostPay", "CreateInstance", billingBase, "PayMode", invalid, set("PayMode", "PostPay")),
	bad("billing: no Parameter", "CreateInstance", billingBase, "Parameter", missing, unset("Parameter")),
	bad("billing: Parameter not JSON", "CreateInstance", billingBase, "Parameter", invalid, set("Parameter", "pid=1002147")),
	bad("billing: Parameter a JSON array", "CreateInstance", billingBase, "Parameter", invalid, set("Parameter", "[1002147]")),
	bad("billing: Quantity 0", "CreateInstance", billingBase, "Quantity", invalid, set("Quantity", 0)),
	ok("billing: Quantity 3", "CreateInstance", billingBase, set("Quantity", 3)),
	bad("billing: ProjectId -1", "CreateInstance", billingBase, "ProjectId", invalid, set("ProjectId", -1)),
	ok("billing: ProjectId 5", "CreateInstance", billingBase, set("ProjectId", 5)),
	bad("billing: Period 0", "CreateInstance", billingBase, "Period", invalid, set("Period", 0)),
	bad("billing: Period 37", "CreateInstance", billingBase, "Period", invalid, set("Period", 37)),
	ok("billing: Period 36", "CreateInstance", billingBase, set("Period", 36)),
	bad("billing: PeriodUnit d", "CreateInstance", billingBase, "PeriodUnit", invalid, set("PeriodUnit", "d")),
	ok("billing: PeriodUnit y", "CreateInstance", billingBase, set("PeriodUnit", "y")),
	bad("billing: RenewFlag AUTO", "CreateInstance", billingBase, "RenewFlag", invalid, set("RenewFlag", "AUTO")),
	ok("billing: RenewFlag NOTIFY_AND_AUTO_RENEW", "CreateInstance", billingBase, set("RenewFlag", "NOTIFY_AND_AUTO_RENEW")),
	ok("billing: RenewFlag DISABLE_NOTIFY_AND_MANUAL_RENEW", "CreateInstance", billingBase, set("RenewFlag", "DISABLE_NOTIFY_AND_MANUAL_RENEW")),
	bad("billing: unknown parameter", "CreateInstance", billingBase, "DryRun", unknown, set("DryRun", true)),

	// Billing RenewInstance.
	ok("renew: required fields only", "RenewInstance", renewBase),
	ok("renew: every field", "RenewInstance", renewBase, set("Period", 12), set("PeriodUnit", "m")),
	ok("renew: Period 36 years", "RenewInstance", renewBase, set("Period", 36), set("PeriodUnit", "y")),
	bad("renew: no ClientToken", "RenewInstance", renewBase, "ClientToken", missing, unset("ClientToken")),
	bad("renew: ClientToken of 65 characters", "RenewInstance", renewBase, "ClientToken", invalid, set("ClientToken", strings.Repeat("A", 65))),
	bad("renew: ClientToken with a space", "RenewInstance", renewBase, "ClientToken", invalid, set("ClientToken", "a b")),
	bad("renew: no ProductCode", "RenewInstance", renewBase, "ProductCode", missing, unset("ProductCode")),
	bad("renew: no SubProductCode", "RenewInstance", renewBase, "SubProductCode", missing, unset("SubProductCode")),
	bad("renew: SubProductCode with a space", "RenewInstance", renewBase, "SubProductCode", invalid, set("SubProductCode", "sp cfw")),
	bad("renew: no RegionCode", "RenewInstance", renewBase, "RegionCode", missing, unset("RegionCode")),
	bad("renew: RegionCode nowhere", "RenewInstance", renewBase, "RegionCode", invalid, set("RegionCode", "nowhere")),
	bad("renew: no InstanceId", "RenewInstance", renewBase, "InstanceId", missing, unset("InstanceId")),
	bad("renew: empty InstanceId", "RenewInstance", renewBase, "InstanceId", missing, set("InstanceId", "")),
	bad("renew: InstanceId with a space", "RenewInstance", renewBase, "InstanceId", invalid, set("InstanceId", "cfw a")),
	bad("renew: Period 0", "RenewInstance", renewBase, "Period", invalid, set("Period", 0)),
	bad("renew: Period 37", "RenewInstance", renewBase, "Period", invalid, set("Period", 37)),
	bad("renew: PeriodUnit d", "RenewInstance", renewBase, "PeriodUnit", invalid, set("PeriodUnit", "d")),
	bad("renew: ZoneCode is not a RenewInstance parameter", "RenewInstance", renewBase, "ZoneCode", unknown, set("ZoneCode", "ap-guangzhou-1")),
	bad("renew: Quantity is not a RenewInstance parameter", "RenewInstance", renewBase, "Quantity", unknown, set("Quantity", 2)),

	// Billing: bounds (issue 20).
	bad("billing: Quantity at the int64 maximum", "CreateInstance", billingBase, "Quantity", numLimit, set("Quantity", int64(math.MaxInt64))),
	bad("billing: Quantity 101", "CreateInstance", billingBase, "Quantity", numLimit, set("Quantity", 101)),
	ok("billing: Quantity 100", "CreateInstance", billingBase, set("Quantity", 100)),
	bad("billing: ProjectId above 32 bits", "CreateInstance", billingBase, "ProjectId", invalid, set("ProjectId", int64(1)<<32)),
	ok("billing: ProjectId at 32 bits", "CreateInstance", billingBase, set("ProjectId", int64(1)<<32-1)),
	bad("billing: RegionCode nowhere", "CreateInstance", billingBase, "RegionCode", invalid, set("RegionCode", "nowhere")),
	bad("billing: RegionCode in capitals", "CreateInstance", billingBase, "RegionCode", invalid, set("RegionCode", "AP-GUANGZHOU"), set("ZoneCode", "AP-GUANGZHOU-1")),
	bad("billing: RegionCode with a control character", "CreateInstance", billingBase, "RegionCode", invalid, set("RegionCode", "ap-guangzhou\u0000")),
	ok("billing: known region Tokyo", "CreateInstance", billingBase, set("RegionCode", "ap-tokyo"), set("ZoneCode", "ap-tokyo-2")),
	ok("billing: known finance region", "CreateInstance", billingBase, set("RegionCode", "ap-shanghai-fsi"), set("ZoneCode", "ap-shanghai-fsi-1")),
	ok("billing: a region not in the list but shaped like one", "CreateInstance", billingBase, set("RegionCode", "me-riyadh"), set("ZoneCode", "me-riyadh-1")),
	bad("billing: ZoneCode of another region", "CreateInstance", billingBase, "ZoneCode", invalid, set("ZoneCode", "ap-shanghai-1")),
	bad("billing: ZoneCode without a number", "CreateInstance", billingBase, "ZoneCode", invalid, set("ZoneCode", "ap-guangzhou")),
	bad("billing: ZoneCode 100", "CreateInstance", billingBase, "ZoneCode", invalid, set("ZoneCode", "ap-guangzhou-100")),
	bad("billing: ZoneCode of a known region under an unlisted one", "CreateInstance", billingBase, "ZoneCode", invalid, set("RegionCode", "me-riyadh"), set("ZoneCode", "ap-guangzhou-1")),
	bad("billing: ProductCode with a space", "CreateInstance", billingBase, "ProductCode", invalid, set("ProductCode", "p cloudfirewall")),
	bad("billing: SubProductCode of 65 characters", "CreateInstance", billingBase, "SubProductCode", invalid, set("SubProductCode", strings.Repeat("s", 65))),
	bad("billing: Parameter of 4097 bytes", "CreateInstance", billingBase, "Parameter", invalid, set("Parameter", `{"pid":1002147,"x":"`+strings.Repeat("a", 4097-len(`{"pid":1002147,"x":""}`))+`"}`)),
	ok("billing: Parameter of 4096 bytes", "CreateInstance", billingBase, set("Parameter", `{"pid":1002147,"x":"`+strings.Repeat("a", 4096-len(`{"pid":1002147,"x":""}`))+`"}`)),
	bad("billing: Parameter with a control character inside", "CreateInstance", billingBase, "Parameter", invalid, set("Parameter", `{"pid":1002147,"note":"a\u0007b"}`)),
	bad("billing: Parameter with a newline outside its strings", "CreateInstance", billingBase, "Parameter", invalid, set("Parameter", "{\"pid\":1002147,\n\"goodsNum\":1}")),
	ok("billing: the full Cloud Firewall Parameter", "CreateInstance", billingBase, set("Parameter", cfwParameter)),
	bad("billing: goodsNum 0", "CreateInstance", billingBase, "Parameter.goodsNum", invalid, set("Parameter", `{"pid":1002147,"goodsNum":0}`)),
	bad("billing: goodsNum 101", "CreateInstance", billingBase, "Parameter.goodsNum", numLimit, set("Parameter", `{"pid":1002147,"goodsNum":101}`)),
	bad("billing: goodsNum at the int64 maximum", "CreateInstance", billingBase, "Parameter.goodsNum", numLimit, set("Parameter", `{"pid":1002147,"goodsNum":9223372036854775807}`)),
	bad("billing: goodsNum beyond int64", "CreateInstance", billingBase, "Parameter.goodsNum", invalid, set("Parameter", `{"pid":1002147,"goodsNum":92233720368547758070}`)),
	bad("billing: goodsNum 1.5", "CreateInstance", billingBase, "Parameter.goodsNum", invalid, set("Parameter", `{"pid":1002147,"goodsNum":1.5}`)),
	ok("billing: goodsNum as a string of digits", "CreateInstance", billingBase, set("Parameter", `{"pid":1002147,"goodsNum":"3"}`)),
	bad("billing: pid 0", "CreateInstance", billingBase, "Parameter.pid", invalid, set("Parameter", `{"pid":0}`)),
	bad("billing: Parameter names another product", "CreateInstance", billingBase, "Parameter.productCode", invalid, set("Parameter", `{"pid":1002147,"productCode":"p_yunjing"}`)),
	bad("billing: Parameter names another sub-product", "CreateInstance", billingBase, "Parameter.subProductCode", invalid, set("Parameter", `{"pid":1002147,"subProductCode":"sp_yunjing_vas"}`)),
	bad("billing: Parameter timeSpan 37 months", "CreateInstance", billingBase, "Parameter.timeSpan", invalid, set("Parameter", `{"pid":1002147,"timeSpan":37,"timeUnit":"m"}`)),
	bad("billing: Parameter timeSpan 4 years", "CreateInstance", billingBase, "Parameter.timeSpan", invalid, set("Parameter", `{"pid":1002147,"timeSpan":4,"timeUnit":"y"}`)),
	bad("billing: Parameter timeUnit d", "CreateInstance", billingBase, "Parameter.timeUnit", invalid, set("Parameter", `{"pid":1002147,"timeSpan":1,"timeUnit":"d"}`)),
	bad("billing: sv count above the bound", "CreateInstance", billingBase, "Parameter.sv_cloudfirewall_extended_ibtesps", invalid, set("Parameter", `{"pid":1002147,"sv_cloudfirewall_extended_ibtesps":1000001}`)),
	bad("billing: sv count negative", "CreateInstance", billingBase, "Parameter.sv_cloudfirewall_extended_ibtesps", invalid, set("Parameter", `{"pid":1002147,"sv_cloudfirewall_extended_ibtesps":"-1"}`)),
	bad("billing: sv count not a number", "CreateInstance", billingBase, "Parameter.sv_yunjing_vas_la", invalid, set("Parameter", `{"pid":1005305,"sv_yunjing_vas_la":"fifty"}`)),
	ok("billing: sv count at the bound", "CreateInstance", billingBase, set("Parameter", `{"pid":1002147,"sv_cloudfirewall_extended_ibtesps":1000000}`)),

	// TCB CreateBillDeal.
	ok("tcb: new plan", "CreateBillDeal", tcbBase),
	bad("tcb: no DealType", "CreateBillDeal", tcbBase, "DealType", missing, unset("DealType")),
	bad("tcb: DealType buy", "CreateBillDeal", tcbBase, "DealType", invalid, set("DealType", "buy")),
	bad("tcb: no ProductType", "CreateBillDeal", tcbBase, "ProductType", missing, unset("ProductType")),
	bad("tcb: ProductType tcb-gpu", "CreateBillDeal", tcbBase, "ProductType", invalid, set("ProductType", "tcb-gpu")),
	bad("tcb: no PackageId", "CreateBillDeal", tcbBase, "PackageId", missing, unset("PackageId")),
	bad("tcb: CreateAndPay as a string", "CreateBillDeal", tcbBase, "CreateAndPay", badType, set("CreateAndPay", "yes")),
	ok("tcb: order without paying", "CreateBillDeal", tcbBase, set("CreateAndPay", false)),
	bad("tcb: TimeSpan 0", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("TimeSpan", 0)),
	bad("tcb: TimeUnit w", "CreateBillDeal", tcbBase, "TimeUnit", invalid, set("TimeUnit", "w"), set("ProductType", "tcb-package"), set("EnvId", "env-1")),
	bad("tcb: plan bought by the day", "CreateBillDeal", tcbBase, "TimeUnit", invalid, set("TimeUnit", "d")),
	bad("tcb: plan renewed by the year", "CreateBillDeal", tcbBase, "TimeUnit", invalid, set("DealType", "renew"), set("ResourceId", "env-1"), set("TimeUnit", "y")),
	ok("tcb: promotion pack by the day", "CreateBillDeal", tcbBase, set("ProductType", "tcb-promotion"), set("PackageId", "pkg_flexdb_promotion_3000"), set("TimeUnit", "d"), set("EnvId", "env-1")),
	ok("tcb: resource pack once", "CreateBillDeal", tcbBase, set("ProductType", "tcb-package"), set("PackageId", "pkg_tcb_api_invoke_num"), set("TimeUnit", "p"), set("EnvId", "env-1")),
	bad("tcb: renew without ResourceId", "CreateBillDeal", tcbBase, "ResourceId", missing, set("DealType", "renew")),
	ok("tcb: renew with ResourceId", "CreateBillDeal", tcbBase, set("DealType", "renew"), set("ResourceId", "env-1")),
	bad("tcb: modify without ResourceId", "CreateBillDeal", tcbBase, "ResourceId", missing, set("DealType", "modify"), set("ModifyPackageId", "baas_team")),
	bad("tcb: modify without ModifyPackageId", "CreateBillDeal", tcbBase, "ModifyPackageId", missing, set("DealType", "modify"), set("ResourceId", "env-1")),
	ok("tcb: modify", "CreateBillDeal", tcbBase, set("DealType", "modify"), set("ResourceId", "env-1"), set("ModifyPackageId", "baas_team")),
	bad("tcb: Source web", "CreateBillDeal", tcbBase, "Source", invalid, set("Source", "web")),
	ok("tcb: Source miniapp", "CreateBillDeal", tcbBase, set("Source", "miniapp")),
	ok("tcb: Alias of 20 characters", "CreateBillDeal", tcbBase, set("Alias", "dealdesk-env-0000001")),
	bad("tcb: Alias of 21 characters", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "dealdesk-env-00000001")),
	bad("tcb: Alias empty", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "")),
	bad("tcb: Alias with capitals", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "Cloud")),
	bad("tcb: Alias with an underscore", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "my_env")),
	bad("tcb: Alias starting with -", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "-env")),
	bad("tcb: Alias ending with -", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "env-")),
	bad("tcb: Alias with --", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "my--env")),
	bad("tcb: Alias on a renewal", "CreateBillDeal", tcbBase, "Alias", invalid, set("DealType", "renew"), set("ResourceId", "env-1"), set("Alias", "cloud")),
	bad("tcb: promotion pack without EnvId", "CreateBillDeal", tcbBase, "EnvId", missing, set("ProductType", "tcb-promotion"), set("TimeUnit", "d")),
	bad("tcb: resource pack without EnvId", "CreateBillDeal", tcbBase, "EnvId", missing, set("ProductType", "tcb-package")),
	bad("tcb: Extension not JSON", "CreateBillDeal", tcbBase, "Extension", invalid, set("Extension", "{")),
	ok("tcb: Extension {}", "CreateBillDeal", tcbBase, set("Extension", "{}")),
	ok("tcb: every resource type", "CreateBillDeal", tcbBase, set("ResourceTypes", []any{"flexdb", "cos", "cdn", "scf"})),
	bad("tcb: resource type gpu", "CreateBillDeal", tcbBase, "ResourceTypes[1]", invalid, set("ResourceTypes", []any{"flexdb", "gpu"})),
	bad("tcb: resource types on a renewal", "CreateBillDeal", tcbBase, "ResourceTypes", invalid, set("DealType", "renew"), set("ResourceId", "env-1"), set("ResourceTypes", []any{"flexdb"})),
	ok("tcb: a tag", "CreateBillDeal", tcbBase, set("EnvTags", []any{map[string]any{"Key": "team", "Value": "sec"}})),
	bad("tcb: tag without Value", "CreateBillDeal", tcbBase, "EnvTags[0].Value", missing, set("EnvTags", []any{map[string]any{"Key": "team"}})),
	bad("tcb: tag without Key", "CreateBillDeal", tcbBase, "EnvTags[0].Key", missing, set("EnvTags", []any{map[string]any{"Value": "sec"}})),
	bad("tcb: tags on a promotion pack", "CreateBillDeal", tcbBase, "EnvTags", invalid, set("ProductType", "tcb-promotion"), set("EnvId", "env-1"),
		set("EnvTags", []any{map[string]any{"Key": "team", "Value": "sec"}})),
	bad("tcb: unknown tag field", "CreateBillDeal", tcbBase, "EnvTags[0].Owner", unknown, set("EnvTags", []any{map[string]any{"Key": "k", "Value": "v", "Owner": "me"}})),

	// TCB: bounds (issue 20).
	bad("tcb: TimeSpan 99999", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("TimeSpan", 99999)),
	bad("tcb: TimeSpan 37 months", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("TimeSpan", 37)),
	ok("tcb: TimeSpan 36 months", "CreateBillDeal", tcbBase, set("TimeSpan", 36)),
	bad("tcb: promotion pack for 1096 days", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("ProductType", "tcb-promotion"), set("EnvId", "env-1"), set("TimeUnit", "d"), set("TimeSpan", 1096)),
	ok("tcb: resource pack for 3 years", "CreateBillDeal", tcbBase, set("ProductType", "tcb-package"), set("EnvId", "env-1"), set("TimeUnit", "y"), set("TimeSpan", 3)),
	bad("tcb: resource pack for 4 years", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("ProductType", "tcb-package"), set("EnvId", "env-1"), set("TimeUnit", "y"), set("TimeSpan", 4)),
	bad("tcb: once, twice", "CreateBillDeal", tcbBase, "TimeSpan", invalid, set("ProductType", "tcb-package"), set("EnvId", "env-1"), set("TimeUnit", "p"), set("TimeSpan", 2)),
	bad("tcb: PackageId of 900 KB", "CreateBillDeal", tcbBase, "PackageId", invalid, set("PackageId", strings.Repeat("a", 900<<10))),
	bad("tcb: PackageId of 65 characters", "CreateBillDeal", tcbBase, "PackageId", invalid, set("PackageId", strings.Repeat("p", 65))),
	ok("tcb: PackageId of 64 characters", "CreateBillDeal", tcbBase, set("PackageId", strings.Repeat("p", 64))),
	bad("tcb: PackageId with a space", "CreateBillDeal", tcbBase, "PackageId", invalid, set("PackageId", "baas personal")),
	bad("tcb: ModifyPackageId with a slash", "CreateBillDeal", tcbBase, "ModifyPackageId", invalid, set("DealType", "modify"), set("ResourceId", "env-1"), set("ModifyPackageId", "baas/team")),
	bad("tcb: ResourceId with a NUL", "CreateBillDeal", tcbBase, "ResourceId", invalid, set("DealType", "renew"), set("ResourceId", "env-1\u0000")),
	bad("tcb: ResourceId of 65 characters", "CreateBillDeal", tcbBase, "ResourceId", invalid, set("DealType", "renew"), set("ResourceId", strings.Repeat("e", 65))),
	bad("tcb: EnvId with an escape", "CreateBillDeal", tcbBase, "EnvId", invalid, set("ProductType", "tcb-package"), set("EnvId", "env\u001b[31m")),
	bad("tcb: Alias with a newline", "CreateBillDeal", tcbBase, "Alias", invalid, set("Alias", "cloud\n")),
	bad("tcb: Extension of 4097 bytes", "CreateBillDeal", tcbBase, "Extension", invalid, set("Extension", `"`+strings.Repeat("x", 4095)+`"`)),
	bad("tcb: Extension with a control character inside", "CreateBillDeal", tcbBase, "Extension", invalid, set("Extension", `{"note":"\u0001"}`)),
	ok("tcb: Extension with a member", "CreateBillDeal", tcbBase, set("Extension", `{"note":"for the team"}`)),
	bad("tcb: a resource type twice", "CreateBillDeal", tcbBase, "ResourceTypes[1]", invalid, set("ResourceTypes", []any{"cos", "cos"})),
	bad("tcb: 51 tags", "CreateBillDeal", tcbBase, "EnvTags", invalid, set("EnvTags", manyTags(51))),
	ok("tcb: 50 tags", "CreateBillDeal", tcbBase, set("EnvTags", manyTags(50))),
	bad("tcb: tag key of 128 characters", "CreateBillDeal", tcbBase, "EnvTags[0].Key", invalid, set("EnvTags", []any{map[string]any{"Key": strings.Repeat("k", 128), "Value": "v"}})),
	bad("tcb: tag value of 256 characters", "CreateBillDeal", tcbBase, "EnvTags[0].Value", invalid, set("EnvTags", []any{map[string]any{"Key": "k", "Value": strings.Repeat("v", 256)}})),
	ok("tcb: tag key of 127 and value of 255 characters", "CreateBillDeal", tcbBase, set("EnvTags", []any{map[string]any{"Key": strings.Repeat("k", 127), "Value": strings.Repeat("v", 255)}})),
	bad("tcb: tag value with a newline", "CreateBillDeal", tcbBase, "EnvTags[0].Value", invalid, set("EnvTags", []any{map[string]any{"Key": "k", "Value": "a\nb"}})),
	bad("tcb: the same tag key twice", "CreateBillDeal", tcbBase, "EnvTags[1].Key", invalid, set("EnvTags", []any{map[string]any{"Key": "k", "Value": "a"}, map[string]any{"Key": "k", "Value": "b"}})),

	// Billing DescribeDealsByCond.
	ok("deals: window and page size", "DescribeDealsByCond", dealsBase),
	bad("deals: no StartTime", "DescribeDealsByCond", dealsBase, "StartTime", missing, unset("StartTime")),
	bad("deals: no EndTime", "DescribeDealsByCond", dealsBase, "EndTime", missing, unset("EndTime")),
	bad("deals: StartTime not a time", "DescribeDealsByCond", dealsBase, "StartTime", invalid, set("StartTime", "2025-01-01")),
	bad("deals: EndTime before StartTime", "DescribeDealsByCond", dealsBase, "EndTime", invalid, set("EndTime", "2024-12-31 00:00:00")),
	bad("deals: no Limit", "DescribeDealsByCond", dealsBase, "Limit", missing, unset("Limit")),
	bad("deals: Limit 0", "DescribeDealsByCond", dealsBase, "Limit", invalid, set("Limit", 0)),
	bad("deals: Limit 1001", "DescribeDealsByCond", dealsBase, "Limit", invalid, set("Limit", 1001)),
	ok("deals: Limit 1000", "DescribeDealsByCond", dealsBase, set("Limit", 1000)),
	bad("deals: Offset -1", "DescribeDealsByCond", dealsBase, "Offset", invalid, set("Offset", -1)),
	bad("deals: Status 13", "DescribeDealsByCond", dealsBase, "Status", invalid, set("Status", 13)),
	ok("deals: by order and status", "DescribeDealsByCond", dealsBase, set("Status", 1), set("OrderId", "2025010100000001"), set("Offset", 0)),

	bad("deals: Offset 100001", "DescribeDealsByCond", dealsBase, "Offset", invalid, set("Offset", 100001)),
	ok("deals: Offset 100000", "DescribeDealsByCond", dealsBase, set("Offset", 100000)),
	bad("deals: OrderId with a space", "DescribeDealsByCond", dealsBase, "OrderId", invalid, set("OrderId", "2025 0101")),
	bad("deals: ResourceId of 65 characters", "DescribeDealsByCond", dealsBase, "ResourceId", invalid, set("ResourceId", strings.Repeat("r", 65))),
	bad("deals: BigDealId with a control character", "DescribeDealsByCond", dealsBase, "BigDealId", invalid, set("BigDealId", "big\u007f")),

	// Billing DescribeAccountBalance.
	ok("balance: no parameters", "DescribeAccountBalance", `{}`),
	bad("balance: a parameter", "DescribeAccountBalance", `{}`, "Uin", unknown, set("Uin", 1)),
}

// dealdeskOnly are the cases of Dealdesk's own rules (bounds.go,
// billing_parameter.go: id and code shapes, lengths, control characters,
// ceilings, Parameter's members) that no API document states. The sandbox
// judges by the documents with rules of its own (tcsim/validate.go), so it
// lets these through; only the client refuses them.
var dealdeskOnly = map[string]bool{
	"renew: InstanceId with a space":                        true,
	"renew: SubProductCode with a space":                    true,
	"renew: ClientToken with a space":                       true,
	"billing: ClientToken with a space":                     true,
	"billing: Parameter of 4097 bytes":                      true,
	"billing: Parameter timeSpan 37 months":                 true,
	"billing: Parameter timeSpan 4 years":                   true,
	"billing: Parameter timeUnit d":                         true,
	"billing: Parameter with a control character inside":    true,
	"billing: Parameter with a newline outside its strings": true,
	"billing: ProductCode with a space":                     true,
	"billing: ProjectId above 32 bits":                      true,
	"billing: SubProductCode of 65 characters":              true,
	"billing: goodsNum 0":                                   true,
	"billing: goodsNum 1.5":                                 true,
	"billing: goodsNum 101":                                 true,
	"billing: goodsNum at the int64 maximum":                true,
	"billing: goodsNum beyond int64":                        true,
	"billing: pid 0":                                        true,
	"billing: sv count above the bound":                     true,
	"billing: sv count negative":                            true,
	"billing: sv count not a number":                        true,
	"deals: BigDealId with a control character":             true,
	"deals: Offset 100001":                                  true,
	"deals: OrderId with a space":                           true,
	"deals: ResourceId of 65 characters":                    true,
	"tcb: 51 tags":                                          true,
	"tcb: EnvId with an escape":                             true,
	"tcb: Extension of 4097 bytes":                          true,
	"tcb: Extension with a control character inside":        true,
	"tcb: ModifyPackageId with a slash":                     true,
	"tcb: PackageId of 65 characters":                       true,
	"tcb: PackageId of 900 KB":                              true,
	"tcb: PackageId with a space":                           true,
	"tcb: ResourceId of 65 characters":                      true,
	"tcb: ResourceId with a NUL":                            true,
	"tcb: tag key of 128 characters":                        true,
	"tcb: tag value of 256 characters":                      true,
	"tcb: tag value with a newline":                         true,
	"waf: 21 label pairs":                                   true,
	"waf: 21 lines":                                         true,
	"waf: InstanceId of 65 characters":                      true,
	"waf: InstanceName of 129 characters":                   true,
	"waf: InstanceName of 900 KB":                           true,
	"waf: InstanceName with a bell":                         true,
	"waf: InstanceName with a right-to-left override":       true,
	"waf: RealRegion 1000":                                  true,
	"waf: ResourceId of 65 characters":                      true,
	"waf: ResourceId with a newline":                        true,
	"waf: ResourceId with a space":                          true,
	"waf: label count 10001":                                true,
	"waf: label type with a control character":              true,
	"waf: label type with a space":                          true,
}

func TestRulesOnBothSides(t *testing.T) {
	t.Parallel()
	sim := sandbox(t, func(o *tcsim.Options) { o.RatePerSecond = 1e6; o.InitialBalance = 1 << 60 })
	c := client(t, sim.URL, func(cfg *tcapi.ClientConfig) { cfg.Limiter = tcapi.NewLocalLimiter(1e6) })
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := actionNamed(t, tc.action)
			body := tc.body(t)
			region := tc.region
			if region == "-" {
				region = ""
			}

			// The client side: strict decoding, then Validate.
			req := a.NewRequest()
			err := tcapi.DecodeParams(body, req)
			if err == nil {
				if w, ok := req.(*tcapi.GenerateDealsAndPayNewRequest); ok {
					w.Region = region
				}
				err = req.Validate()
			}
			checkFieldError(t, "Validate", err, tc.path, tc.code)

			if dealdeskOnly[tc.name] {
				return
			}
			// The sandbox side: the same body, not validated by the client.
			res, err := c.SendRaw(context.Background(), creds, tcapi.Target{Service: a.Service, Version: a.Version, Action: a.Name, Region: region}, body)
			if tc.code == "" {
				if res.Outcome != tcapi.Succeeded {
					t.Fatalf("sandbox: %s %s (%v), want success", res.Outcome, res.ErrorCode, err)
				}
				return
			}
			if res.Outcome != tcapi.Rejected || res.ErrorCode != tc.code {
				t.Fatalf("sandbox: %s %q (%s), want rejected %s", res.Outcome, res.ErrorCode, res.ErrorMessage, tc.code)
			}
			if tc.path != "" {
				mustContain(t, res.ErrorMessage, tc.path+":")
			}
		})
	}
}

func checkFieldError(t *testing.T, side string, err error, path, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("%s: %v, want no error", side, err)
		}
		return
	}
	var ve *tcapi.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: %v, want a field error on %q", side, err, path)
	}
	for _, f := range ve.Fields {
		if f.Path == path && f.Code == code {
			if f.Message == "" || strings.Contains(f.Message, path) {
				t.Fatalf("%s: message %q should explain without repeating the path", side, f.Message)
			}
			return
		}
	}
	t.Fatalf("%s: %v, want %s on %q", side, err, code, path)
}

func actionNamed(t testing.TB, name string) tcapi.Action {
	t.Helper()
	for _, a := range tcapi.Actions() {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no action %s", name)
	return tcapi.Action{}
}

// body builds the case's JSON body. A ClientToken of "fresh" becomes a new
// token, and "unique64" a new token padded to 64 characters, so that cases
// never collide on the sandbox's idempotency.
func (tc ruleCase) body(t testing.TB) []byte {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(tc.base), &doc); err != nil {
		t.Fatalf("base body: %v", err)
	}
	for _, e := range tc.edits {
		doc = apply(t, doc, strings.Split(e.path, "."), e.value)
	}
	if m, ok := doc.(map[string]any); ok {
		switch m["ClientToken"] {
		case "fresh":
			m["ClientToken"] = tcapi.NewClientToken()
		case "unique64":
			m["ClientToken"] = (tcapi.NewClientToken() + strings.Repeat("0", 64))[:64]
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func apply(t testing.TB, doc any, path []string, v any) any {
	t.Helper()
	if len(path) == 0 {
		return v
	}
	switch d := doc.(type) {
	case map[string]any:
		if len(path) == 1 && v == del {
			delete(d, path[0])
			return d
		}
		d[path[0]] = apply(t, d[path[0]], path[1:], v)
		return d
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil || i > len(d) {
			t.Fatalf("bad index %s", path[0])
		}
		if i == len(d) {
			d = append(d, nil)
		}
		d[i] = apply(t, d[i], path[1:], v)
		return d
	}
	t.Fatalf("cannot follow %v into %T", path, doc)
	return nil
}
