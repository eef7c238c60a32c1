package tcapi

// GenerateDealsAndPayNewRequest buys, renews or changes WAF (waf 2018-01-25
// GenerateDealsAndPayNew). It creates one deal per Goods entry and pays them
// from the account balance.
type GenerateDealsAndPayNewRequest struct {
	// Region is the X-TC-Region common parameter, not part of the body. The
	// action accepts only ap-guangzhou, ap-seoul and ap-singapore.
	Region string `json:"-"`
	// Goods lists what to buy (required, at least one entry).
	Goods []GoodNews `json:"Goods,omitempty"`
}

// GoodNews is one WAF purchase line.
type GoodNews struct {
	// GoodsNum is how many to buy (required).
	GoodsNum *int64 `json:"GoodsNum,omitempty"`
	// GoodsDetail describes the goods (required).
	GoodsDetail *GoodsDetailNew `json:"GoodsDetail,omitempty"`
	// GoodsCategoryId says edition, flavour (SaaS or CLB) and kind of deal
	// (new, renew, change configuration); see WAFProducts.
	GoodsCategoryId *int64 `json:"GoodsCategoryId,omitempty"`
	// RegionId is 1 for the Chinese mainland, 9 for outside it.
	RegionId *int64 `json:"RegionId,omitempty"`
}

// GoodsDetailNew is the detail of one WAF purchase line. Every field is
// optional in the API; Validate adds the rules that depend on the category.
type GoodsDetailNew struct {
	// TimeSpan is the length of the term, in TimeUnit.
	TimeSpan *int64 `json:"TimeSpan,omitempty"`
	// TimeUnit is d (days), m (months) or y (years).
	TimeUnit *string `json:"TimeUnit,omitempty"`
	// SubProductCode, such as sp_wsm_waf_premium, is required for a new
	// purchase and for a renewal.
	SubProductCode *string `json:"SubProductCode,omitempty"`
	// Pid is the billing product id that goes with SubProductCode.
	Pid *int64 `json:"Pid,omitempty"`
	// InstanceName names a new instance.
	InstanceName *string `json:"InstanceName,omitempty"`
	// AutoRenewFlag is 1 to renew automatically, 0 not to.
	AutoRenewFlag *int64 `json:"AutoRenewFlag,omitempty"`
	// RealRegion is the WAF region code (for SaaS: see the RealRegion table).
	RealRegion *int64 `json:"RealRegion,omitempty"`
	// LabelTypes are the billing labels bought, paired one-to-one with LabelCounts.
	LabelTypes []string `json:"LabelTypes,omitempty"`
	// LabelCounts are the quantities of LabelTypes.
	LabelCounts []int64 `json:"LabelCounts,omitempty"`
	// CurDeadline is the current expiry ("2023-02-28 17:38:59") for a change of configuration.
	CurDeadline *string `json:"CurDeadline,omitempty"`
	// InstanceId is the existing instance an add-on (or change) is for.
	InstanceId *string `json:"InstanceId,omitempty"`
	// ResourceId is the existing resource the deal is for.
	ResourceId *string `json:"ResourceId,omitempty"`
	// MicroVersion is clb-waf or saas-waf.
	MicroVersion *string `json:"MicroVersion,omitempty"`
}

// Target implements Request.
func (r *GenerateDealsAndPayNewRequest) Target() Target {
	return Target{Service: "waf", Version: VersionWAF, Action: "GenerateDealsAndPayNew", Region: r.Region}
}

// GenerateDealsAndPayNewResponse is the answer to GenerateDealsAndPayNew.
type GenerateDealsAndPayNewResponse struct {
	Data *DealData `json:"Data,omitempty"`
	// Status is 1 for success and 0 for failure. The official example shows
	// 0 beside a success message, so only 1 counts as success here.
	Status        *int64  `json:"Status,omitempty"`
	ReturnMessage *string `json:"ReturnMessage,omitempty"`
	InstanceId    *string `json:"InstanceId,omitempty"`
	RequestId     string  `json:"RequestId"`
}

// Trace: the deals, their parent and the instance bought.
func (r *GenerateDealsAndPayNewResponse) Trace() Trace {
	t := Trace{NamesDeals: true, ReturnMessage: Deref(r.ReturnMessage)}
	if r.Data != nil {
		t.DealNames, t.BigDealID = r.Data.DealNames, Deref(r.Data.BigDealId)
	}
	if id := Deref(r.InstanceId); id != "" {
		t.InstanceIDs = []string{id}
	}
	return t
}

// DealData names the deals created.
type DealData struct {
	// DealNames holds one deal per Goods entry, in order.
	DealNames []string `json:"DealNames,omitempty"`
	// BigDealId is the parent order of the deals.
	BigDealId *string `json:"BigDealId,omitempty"`
}

// judgeWAF reads an answer without Error. Only Status 1 is a success. Status
// 0 with deal names means deals exist that may be unpaid: a person must look.
// Status 0 with no trace of a deal is a refusal. Anything else (no Status, an
// unknown value) cannot be read safely and goes to a person too.
func judgeWAF(resp any) (Outcome, string) {
	r := resp.(*GenerateDealsAndPayNewResponse)
	var names []string
	bigDeal := ""
	if r.Data != nil {
		names = r.Data.DealNames
		bigDeal = Deref(r.Data.BigDealId)
	}
	msg := Deref(r.ReturnMessage)
	switch {
	case r.Status != nil && *r.Status == 1:
		return Succeeded, msg
	case r.Status != nil && *r.Status == 0 && len(names) == 0 && bigDeal == "" && Deref(r.InstanceId) == "":
		return Rejected, "Status 0: " + msg
	case r.Status != nil && *r.Status == 0:
		return NeedsReview, "Status 0 but deals were created (they may be unpaid): " + msg
	case r.Status == nil:
		return NeedsReview, "the answer has no Status"
	}
	return NeedsReview, "unknown Status value"
}

// actionGenerateDealsAndPayNew is everything this package knows about WAF
// GenerateDealsAndPayNew.
var actionGenerateDealsAndPayNew = Action{
	Service: "waf", Version: VersionWAF, Name: "GenerateDealsAndPayNew", Host: HostWAF, RegionRequired: true,
	NewRequest:  func() Request { return new(GenerateDealsAndPayNewRequest) },
	newResponse: func() any { return new(GenerateDealsAndPayNewResponse) },
	judge:       judgeWAF,
	choices: map[string][]Choice{
		"Goods.GoodsDetail.TimeUnit": {
			{"d", "days", "days"}, {"m", "months", "months"}, {"y", "years", "years"}},
		"Goods.GoodsDetail.MicroVersion": {
			{"clb-waf", "WAF on CLB", "CLB WAF"}, {"saas-waf", "SaaS WAF", "SaaS WAF"}},
	},
	errors: []ErrorInfo{
		{"FailedOperation.CLSInternalError", "The log service (CLS) had an internal error.", "CLS 内部错误。"},
		{"InvalidParameter.InvalidCertificate", "The certificate content is invalid.", "证书内容非法。"},
		{"InvalidParameter.QueryCertBySSLIDFailed", "The certificate could not be found by its SSL ID.", "根据 SSL ID 查询证书失败。"},
		{"OperationDenied", "The operation was denied.", "操作被拒绝。"},
		{"ResourcesSoldOut", "The resources are sold out.", "资源售罄。"},
	},
	deals: wafDeals,
}

// wafDeals: one deal per Goods line, all sharing one BigDealId; a renewal,
// a change or an add-on names the instance it is for.
func wafDeals(req Request) []DealPattern {
	var patterns []DealPattern
	for _, g := range req.(*GenerateDealsAndPayNewRequest).Goods {
		p := DealPattern{ProductCode: BillProductWAF, Action: "purchase"}
		if g.GoodsCategoryId != nil {
			p.GoodsCategoryID = *g.GoodsCategoryId
			prod, kind, known := LookupWAFCategory(*g.GoodsCategoryId)
			if known {
				p.SubProductCode = prod.SubProductCode
				switch kind {
				case WAFRenew:
					p.Action = "renew"
				case WAFModify:
					p.Action = "modify"
				}
				if kind != WAFNew || prod.AddOn() {
					p.ResourceID = targetOf(g.GoodsDetail)
				}
			}
		}
		if d := g.GoodsDetail; d != nil {
			if d.SubProductCode != nil {
				p.SubProductCode = *d.SubProductCode
			}
			p.TimeSpan, p.TimeUnit = Deref(d.TimeSpan), Deref(d.TimeUnit)
		}
		patterns = append(patterns, p)
	}
	return patterns
}
