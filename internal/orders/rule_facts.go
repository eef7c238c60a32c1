package orders

import (
	"strconv"

	"dealdesk/internal/tcapi"
)

// Each product's facts for the approval rules (Spec.facts, read by
// paramFacts): the kind of deal, the term in months, the quantity, the
// edition and auto-renewal, from its decoded parameters (numbers as
// json.Number).

// factsBilling: CreateInstance buys something new; its edition is the Cloud
// Firewall edition its Parameter switches on.
func factsBilling(m map[string]any, f *RuleFacts) {
	f.DealKind = "new"
	f.TermMonths = months(intAt(m, "Period"), str(m, "PeriodUnit"))
	f.Quantity = max(intAt(m, "Quantity"), 1)
	if params, ok := jsonObjectText(str(m, "Parameter")); ok {
		for _, e := range []string{"aeps", "eeps", "ueps"} {
			if str(params, "sv_cloudfirewall_basic_"+e) == "1" {
				f.Edition = e
			}
		}
	}
	f.AutoRenew = str(m, "RenewFlag") == "NOTIFY_AND_AUTO_RENEW"
}

// factsBillingRenew: RenewInstance renews one instance.
func factsBillingRenew(m map[string]any, f *RuleFacts) {
	f.DealKind = "renewal"
	f.TermMonths = months(intAt(m, "Period"), str(m, "PeriodUnit"))
	f.Quantity = 1
}

// factsWAF: the quantity is every line's, the term the longest line's; the
// kind of deal and the edition are the first line's.
func factsWAF(m map[string]any, f *RuleFacts) {
	goods, _ := m["Goods"].([]any)
	for i, gv := range goods {
		g, _ := gv.(map[string]any)
		d := object(g, "GoodsDetail")
		f.Quantity += intAt(g, "GoodsNum")
		f.TermMonths = max(f.TermMonths, months(intAt(d, "TimeSpan"), str(d, "TimeUnit")))
		if str(d, "AutoRenewFlag") == "1" {
			f.AutoRenew = true
		}
		if i > 0 {
			continue
		}
		cat, _ := strconv.ParseInt(str(g, "GoodsCategoryId"), 10, 64)
		wp, kind, ok := tcapi.LookupWAFCategory(cat)
		switch {
		case !ok:
		case wp.AddOn():
			f.DealKind = "add_on"
		case kind == tcapi.WAFRenew:
			f.DealKind = "renewal"
		case kind == tcapi.WAFModify:
			f.DealKind = "change"
		default:
			f.DealKind = "new"
		}
		if ok {
			f.Edition = wp.Name
		}
	}
}

// factsTCB: the deal type says the kind of deal; the plan or pack is the
// edition.
func factsTCB(m map[string]any, f *RuleFacts) {
	f.DealKind = map[string]string{"purchase": "new", "renew": "renewal", "modify": "change"}[str(m, "DealType")]
	f.TermMonths = months(intAt(m, "TimeSpan"), str(m, "TimeUnit"))
	f.Quantity = 1
	f.Edition = str(m, "PackageId")
}

// intAt is obj[key] as a whole number; 0 when it is missing or not one.
func intAt(obj map[string]any, key string) int64 {
	n, _ := strconv.ParseInt(str(obj, key), 10, 64)
	return n
}
