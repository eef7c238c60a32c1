package tcapi

// CreateBillDealRequest orders (and, with CreateAndPay, pays for) CloudBase
// resources (tcb 2018-06-08 CreateBillDeal). The action takes no region and
// has no idempotency token: a resent call may buy twice.
type CreateBillDealRequest struct {
	// DealType is purchase, renew or modify (required).
	DealType *string `json:"DealType,omitempty"`
	// ProductType is tcb-baas (plan), tcb-promotion (promotion pack) or
	// tcb-package (resource pack) (required).
	ProductType *string `json:"ProductType,omitempty"`
	// PackageId is the plan or pack, such as baas_personal (required).
	PackageId *string `json:"PackageId,omitempty"`
	// CreateAndPay pays the order at once; the service's default is false
	// (create the order only).
	CreateAndPay *bool `json:"CreateAndPay,omitempty"`
	// TimeSpan is the length of the term, in TimeUnit.
	TimeSpan *int64 `json:"TimeSpan,omitempty"`
	// TimeUnit is d, m, y or p (once); a tcb-baas purchase or renewal takes only m.
	TimeUnit *string `json:"TimeUnit,omitempty"`
	// ResourceId is the environment; required to renew or modify.
	ResourceId *string `json:"ResourceId,omitempty"`
	// Source is qcloud (the default) or miniapp.
	Source *string `json:"Source,omitempty"`
	// Alias names a new environment (tcb-baas purchase only).
	Alias *string `json:"Alias,omitempty"`
	// EnvId is the environment a tcb-promotion or tcb-package is for.
	EnvId *string `json:"EnvId,omitempty"`
	// EnableExcess allows pay-as-you-go use beyond the plan.
	EnableExcess *bool `json:"EnableExcess,omitempty"`
	// ModifyPackageId is the plan to change to (required to modify).
	ModifyPackageId *string `json:"ModifyPackageId,omitempty"`
	// Extension is extra information as a JSON string.
	Extension *string `json:"Extension,omitempty"`
	// AutoVoucher pays with vouchers where it can.
	AutoVoucher *bool `json:"AutoVoucher,omitempty"`
	// ResourceTypes are the resources a new environment gets (flexdb, cos,
	// cdn, scf; tcb-baas purchase only).
	ResourceTypes []string `json:"ResourceTypes,omitempty"`
	// EnvTags tag a new environment (tcb-baas purchase only).
	EnvTags []Tag `json:"EnvTags,omitempty"`
}

// Tag is one CAM tag; both parts are required.
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// Target implements Request.
func (r *CreateBillDealRequest) Target() Target {
	return Target{Service: "tcb", Version: VersionTCB, Action: "CreateBillDeal"}
}

// CreateBillDealResponse is the answer to CreateBillDeal: only a RequestId.
type CreateBillDealResponse struct {
	RequestId string `json:"RequestId"`
}

// actionCreateBillDeal is everything this package knows about TCB
// CreateBillDeal.
var actionCreateBillDeal = Action{
	Service: "tcb", Version: VersionTCB, Name: "CreateBillDeal", Host: HostTCB,
	NewRequest:  func() Request { return new(CreateBillDealRequest) },
	newResponse: func() any { return new(CreateBillDealResponse) },
	choices: map[string][]Choice{
		"DealType": {
			{"purchase", "new purchase", "New purchase"}, {"renew", "renewal", "Renewal"}, {"modify", "change of plan", "Change of plan"}},
		"ProductType": {
			{"tcb-baas", "plan", "Plan"}, {"tcb-promotion", "promotion pack", "Promotion pack"}, {"tcb-package", "resource pack", "Resource pack"}},
		"TimeUnit": {
			{"d", "days", "days"}, {"m", "months", "months"}, {"y", "years", "years"}, {"p", "once", "once"}},
		"Source": {
			{"qcloud", "Tencent Cloud", "Tencent Cloud"}, {"miniapp", "mini program", "Mini program"}},
		"ResourceTypes": {
			{"flexdb", "database", "Database"}, {"cos", "storage", "Storage"}, {"cdn", "CDN", "CDN"}, {"scf", "functions", "Functions"}},
	},
	// The codes the TCB SDK lists.
	errors: []ErrorInfo{
		{"MissingParameter.Param", "A required parameter is missing.", "缺少必填参数。"},
		{"OperationDenied.FreePackageDenied", "The free plan cannot be bought again.", "免费套餐不允许重复购买。"},
		{"OperationDenied.ResourceFrozen", "The resource is frozen.", "资源已冻结。"},
	},
	deals: billDealDeals,
}

// billDealDeals: one deal; a renewal or change names the environment it is
// for, and so does a pack (a plan creates its environment).
func billDealDeals(req Request) []DealPattern {
	r := req.(*CreateBillDealRequest)
	p := DealPattern{ProductCode: BillProductTCB, Action: Deref(r.DealType), TimeSpan: Deref(r.TimeSpan), TimeUnit: Deref(r.TimeUnit)}
	switch {
	case p.Action == "renew" || p.Action == "modify":
		p.ResourceID = Deref(r.ResourceId)
	case Deref(r.ProductType) != "tcb-baas":
		p.ResourceID = Deref(r.EnvId)
	}
	return []DealPattern{p}
}
