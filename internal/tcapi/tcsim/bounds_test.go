package tcsim

import (
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
)

// The sandbox's own copy of the documented bounds refuses requests that
// never went through tcapi's rules, so a loosened client rule cannot make
// the sandbox buy what the real service would refuse.
func TestDocumentedBoundsWithoutTheClientRules(t *testing.T) {
	t.Parallel()
	i := tcapi.Int64
	s := tcapi.String
	waf := func(change func(*tcapi.GenerateDealsAndPayNewRequest)) tcapi.Request {
		r := &tcapi.GenerateDealsAndPayNewRequest{Region: "ap-guangzhou", Goods: []tcapi.GoodNews{{
			GoodsNum: i(1), RegionId: i(1), GoodsDetail: &tcapi.GoodsDetailNew{TimeSpan: i(1), TimeUnit: s("m"), AutoRenewFlag: i(1)},
		}}}
		change(r)
		return r
	}
	billing := func(change func(*tcapi.CreateInstanceRequest)) tcapi.Request {
		r := &tcapi.CreateInstanceRequest{ClientToken: s("t"), ProductCode: s("p"), SubProductCode: s("sp"), RegionCode: s("ap-guangzhou"),
			ZoneCode: s("ap-guangzhou-1"), PayMode: s("PrePay"), Parameter: s("{}"), Quantity: i(1), Period: i(36), PeriodUnit: s("y"),
			RenewFlag: s("NOTIFY_AND_AUTO_RENEW")}
		change(r)
		return r
	}
	tcb := func(change func(*tcapi.CreateBillDealRequest)) tcapi.Request {
		r := &tcapi.CreateBillDealRequest{DealType: s("purchase"), ProductType: s("tcb-baas"), PackageId: s("baas_personal"),
			TimeSpan: i(1), TimeUnit: s("m"), Source: s("qcloud"), Alias: s("cloud"), ResourceTypes: []string{"flexdb"}}
		change(r)
		return r
	}
	tests := []struct {
		name string
		req  tcapi.Request
		code string // empty: passes
		path string
	}{
		{"waf: realistic", waf(func(*tcapi.GenerateDealsAndPayNewRequest) {}), "", ""},
		{"waf: region", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Region = "ap-beijing" }), tcapi.CodeUnsupportedRegion, "Region"},
		{"waf: no goods", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods = nil }), tcapi.CodeMissingParameter, "Goods"},
		{"waf: GoodsNum huge", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods[0].GoodsNum = i(1 << 62) }), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsNum"},
		{"waf: RegionId", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods[0].RegionId = i(2) }), tcapi.CodeInvalidParameterValue, "Goods[0].RegionId"},
		{"waf: AutoRenewFlag", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods[0].GoodsDetail.AutoRenewFlag = i(2) }), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.AutoRenewFlag"},
		{"waf: TimeUnit", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods[0].GoodsDetail.TimeUnit = s("p") }), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.TimeUnit"},
		{"waf: TimeSpan", waf(func(r *tcapi.GenerateDealsAndPayNewRequest) { r.Goods[0].GoodsDetail.TimeSpan = i(99999) }), tcapi.CodeInvalidParameterValue, "Goods[0].GoodsDetail.TimeSpan"},
		{"billing: realistic", billing(func(*tcapi.CreateInstanceRequest) {}), "", ""},
		{"billing: token", billing(func(r *tcapi.CreateInstanceRequest) { r.ClientToken = s(strings.Repeat("a", 65)) }), tcapi.CodeInvalidParameterValue, "ClientToken"},
		{"billing: zone", billing(func(r *tcapi.CreateInstanceRequest) { r.ZoneCode = nil }), tcapi.CodeMissingParameter, "ZoneCode"},
		{"billing: PayMode", billing(func(r *tcapi.CreateInstanceRequest) { r.PayMode = s("PostPay") }), tcapi.CodeInvalidParameterValue, "PayMode"},
		{"billing: Quantity", billing(func(r *tcapi.CreateInstanceRequest) { r.Quantity = i(1<<63 - 1) }), tcapi.CodeNumLimitError, "Quantity"},
		{"billing: Period", billing(func(r *tcapi.CreateInstanceRequest) { r.Period = i(37) }), tcapi.CodeInvalidParameterValue, "Period"},
		{"billing: PeriodUnit", billing(func(r *tcapi.CreateInstanceRequest) { r.PeriodUnit = s("d") }), tcapi.CodeInvalidParameterValue, "PeriodUnit"},
		{"billing: RenewFlag", billing(func(r *tcapi.CreateInstanceRequest) { r.RenewFlag = s("AUTO") }), tcapi.CodeInvalidParameterValue, "RenewFlag"},
		{"tcb: realistic", tcb(func(*tcapi.CreateBillDealRequest) {}), "", ""},
		{"tcb: DealType", tcb(func(r *tcapi.CreateBillDealRequest) { r.DealType = s("buy") }), tcapi.CodeInvalidParameterValue, "DealType"},
		{"tcb: ProductType", tcb(func(r *tcapi.CreateBillDealRequest) { r.ProductType = nil }), tcapi.CodeInvalidParameterValue, "ProductType"},
		{"tcb: PackageId", tcb(func(r *tcapi.CreateBillDealRequest) { r.PackageId = s("") }), tcapi.CodeMissingParameter, "PackageId"},
		{"tcb: TimeSpan", tcb(func(r *tcapi.CreateBillDealRequest) { r.TimeSpan = i(99999) }), tcapi.CodeInvalidParameterValue, "TimeSpan"},
		{"tcb: once twice", tcb(func(r *tcapi.CreateBillDealRequest) { r.TimeUnit, r.TimeSpan = s("p"), i(2) }), tcapi.CodeInvalidParameterValue, "TimeSpan"},
		{"tcb: Source", tcb(func(r *tcapi.CreateBillDealRequest) { r.Source = s("web") }), tcapi.CodeInvalidParameterValue, "Source"},
		{"tcb: Alias", tcb(func(r *tcapi.CreateBillDealRequest) { r.Alias = s(strings.Repeat("a", 21)) }), tcapi.CodeInvalidParameterValue, "Alias"},
		{"tcb: ResourceTypes", tcb(func(r *tcapi.CreateBillDealRequest) { r.ResourceTypes = []string{"gpu"} }), tcapi.CodeInvalidParameterValue, "ResourceTypes"},
	}
	for _, tt := range tests {
		e := documented(tt.req)
		switch {
		case tt.code == "" && e != nil:
			t.Errorf("%s: %s %s, want nothing", tt.name, e.Code, e.Message)
		case tt.code != "" && (e == nil || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.path+":")):
			t.Errorf("%s: %+v, want %s on %s", tt.name, e, tt.code, tt.path)
		}
		// Whatever documented refuses, tcapi's stricter rules refuse too.
		if tt.code != "" && tt.req.Validate() == nil {
			t.Errorf("%s: the sandbox refuses what tcapi.Validate accepts", tt.name)
		}
	}
}
