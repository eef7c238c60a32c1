package tcapi

// DealPattern is what one deal of a request would look like in
// DescribeDealsByCond's answer, so a call whose answer was lost can be
// found on the bill. A zero field matches anything: the request left it to
// the service.
//
// What is confirmed and what is not: the Deal fields (OrderId, BigDealId,
// Status, ProductCode, SubProductCode, GoodsCategoryId, TimeSpan, TimeUnit,
// Action, ResourceId, CreateTime) are the SDK's billing v20180709 Deal.
// The product codes a deal carries for WAF ("p_waf") and CloudBase
// ("p_tcb") are not in any document we have; they are the sandbox's, and
// a deal under another code is simply not matched (the order stays for a
// person, with the lookup's evidence). Billing CreateInstance deals carry
// the request's own ProductCode and SubProductCode.
type DealPattern struct {
	ProductCode     string
	SubProductCode  string
	GoodsCategoryID int64
	TimeSpan        int64
	TimeUnit        string
	// Action is purchase, renew or modify.
	Action string
	// ResourceID is the instance or environment a renewal, change or pack
	// is for.
	ResourceID string
}

// Bill product codes, see DealPattern.
const (
	BillProductWAF = "p_waf"
	BillProductTCB = "p_tcb"
)

// DealPatterns lists the deals req would create, in order, as its action's
// deals function says: one per WAF Goods line (sharing one BigDealId), one
// for CloudBase and for Billing (CreateInstance, and RenewInstance for its
// instance). ok is false for requests that buy nothing.
func DealPatterns(req Request) (patterns []DealPattern, ok bool) {
	t := req.Target()
	a, known := LookupAction(t.Action, t.Version)
	if !known || a.deals == nil {
		return nil, false
	}
	patterns = a.deals(req)
	return patterns, len(patterns) > 0
}

func targetOf(d *GoodsDetailNew) string {
	if d == nil {
		return ""
	}
	if id := Deref(d.InstanceId); id != "" {
		return id
	}
	return Deref(d.ResourceId)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Matches reports whether d could be the deal p describes.
func (p DealPattern) Matches(d Deal) bool {
	str := func(want string, got *string) bool { return want == "" || want == Deref(got) }
	if !str(p.ProductCode, d.ProductCode) || !str(p.SubProductCode, d.SubProductCode) ||
		!str(p.TimeUnit, d.TimeUnit) || !str(p.Action, d.Action) {
		return false
	}
	if p.GoodsCategoryID != 0 && p.GoodsCategoryID != Deref(d.GoodsCategoryId) {
		return false
	}
	if p.TimeSpan != 0 && (d.TimeSpan == nil || *d.TimeSpan != float64(p.TimeSpan)) {
		return false
	}
	if p.ResourceID != "" {
		found := false
		for _, id := range d.ResourceId {
			found = found || id == p.ResourceID
		}
		return found
	}
	return true
}
