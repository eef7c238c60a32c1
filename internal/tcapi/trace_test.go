package tcapi

import (
	"slices"
	"testing"
)

// Each purchase answer says what it names, which is what the sender keeps
// to search orders by; an answer naming nothing (CloudBase, or none at all)
// is the zero Trace.
func TestTraceNamesWhatEachAnswerMade(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	waf := TraceOf(&GenerateDealsAndPayNewResponse{Data: &DealData{DealNames: []string{"d1", "d2"}, BigDealId: s("big")},
		InstanceId: s("waf_1"), ReturnMessage: s("ok")})
	if !slices.Equal(waf.DealNames, []string{"d1", "d2"}) || waf.BigDealID != "big" || !slices.Equal(waf.InstanceIDs, []string{"waf_1"}) ||
		!waf.NamesDeals || waf.ReturnMessage != "ok" {
		t.Errorf("WAF trace %+v", waf)
	}
	if none := TraceOf(&GenerateDealsAndPayNewResponse{}); none.InstanceIDs != nil || !none.NamesDeals {
		t.Errorf("an empty WAF answer: %+v; want no instance, still the kind that names deals", none)
	}
	ci := TraceOf(&CreateInstanceResponse{OrderId: s("o1"), InstanceIdList: []string{"i1"}})
	if ci.OrderID != "o1" || !slices.Equal(ci.InstanceIDs, []string{"i1"}) || ci.NamesDeals {
		t.Errorf("CreateInstance trace %+v", ci)
	}
	if ri := TraceOf(&RenewInstanceResponse{OrderIdList: []string{"o1", "", "o2"}}); ri.OrderID != "o1,o2" {
		t.Errorf("RenewInstance trace %+v", ri)
	}
	for _, resp := range []any{&CreateBillDealResponse{}, nil} {
		if tr := TraceOf(resp); tr.OrderID != "" || tr.DealNames != nil || tr.NamesDeals {
			t.Errorf("%T: trace %+v, want none", resp, tr)
		}
	}
}
