package tcapi

// CreateInstanceRequest buys a product through the international billing
// service (billing 2018-07-09 CreateInstance, host billing.intl.tencentcloudapi.com;
// Dealdesk uses it for Cloud Firewall). It pays from the account balance.
// The action takes no region.
type CreateInstanceRequest struct {
	// ClientToken makes the call idempotent: the same token returns the
	// same order and buys nothing new. Generate it once per order with
	// NewClientToken, store it with the order, and send it on every resend.
	// At most 64 ASCII characters, case-sensitive (required).
	ClientToken *string `json:"ClientToken,omitempty"`
	// ProductCode, such as p_cloudfirewall (required).
	ProductCode *string `json:"ProductCode,omitempty"`
	// SubProductCode, such as sp_cloudfirewall_svv1 (required).
	SubProductCode *string `json:"SubProductCode,omitempty"`
	// RegionCode, such as ap-guangzhou (required).
	RegionCode *string `json:"RegionCode,omitempty"`
	// ZoneCode, such as ap-guangzhou-1 (required).
	ZoneCode *string `json:"ZoneCode,omitempty"`
	// PayMode must be PrePay (required).
	PayMode *string `json:"PayMode,omitempty"`
	// Parameter is a JSON object, as a string, with the product's details (required).
	Parameter *string `json:"Parameter,omitempty"`
	// Quantity defaults to 1 on the server.
	Quantity *int64 `json:"Quantity,omitempty"`
	// ProjectId defaults to 0 on the server.
	ProjectId *int64 `json:"ProjectId,omitempty"`
	// Period is 1 to 36 (default 1) in PeriodUnit.
	Period *int64 `json:"Period,omitempty"`
	// PeriodUnit is m (months, the default) or y (years).
	PeriodUnit *string `json:"PeriodUnit,omitempty"`
	// RenewFlag is NOTIFY_AND_MANUAL_RENEW (default), NOTIFY_AND_AUTO_RENEW
	// or DISABLE_NOTIFY_AND_MANUAL_RENEW.
	RenewFlag *string `json:"RenewFlag,omitempty"`
}

// Target implements Request.
func (r *CreateInstanceRequest) Target() Target {
	return Target{Service: "billing", Version: VersionBilling, Action: "CreateInstance"}
}

// CreateInstanceResponse is the answer to CreateInstance.
type CreateInstanceResponse struct {
	OrderId *string `json:"OrderId,omitempty"`
	// InstanceIdList may be empty when delivery is delayed.
	InstanceIdList []string `json:"InstanceIdList,omitempty"`
	RequestId      string   `json:"RequestId"`
}

// Trace: the billing order and the instances delivered so far.
func (r *CreateInstanceResponse) Trace() Trace {
	return Trace{OrderID: Deref(r.OrderId), InstanceIDs: r.InstanceIdList}
}

// judgeCreateInstance: an answer without an OrderId does not prove that an
// order exists or that none does, so a person must look.
func judgeCreateInstance(resp any) (Outcome, string) {
	if Deref(resp.(*CreateInstanceResponse).OrderId) == "" {
		return NeedsReview, "the answer has no OrderId"
	}
	return Succeeded, ""
}

// DescribeDealsByCondRequest looks orders up (billing 2018-07-09
// DescribeDealsByCond). It settles nothing by itself: the reconciliation
// job reads it to find the deals an order whose answer was lost may have
// made, and proposes a settlement that a person confirms. (CreateInstance
// and RenewInstance settle themselves by resending with their ClientToken.)
//
// Two traps: StartTime and EndTime are read as Beijing time (use DealTime),
// and without Status the service returns only status 4 (shipped) orders, so
// finding an order in any state takes one call per status of interest.
type DescribeDealsByCondRequest struct {
	// StartTime and EndTime bound the order's creation time, written
	// "2006-01-02 15:04:05" (required).
	StartTime *string `json:"StartTime,omitempty"`
	EndTime   *string `json:"EndTime,omitempty"`
	// Limit is the page size, 1 to 1000 (required).
	Limit *int64 `json:"Limit,omitempty"`
	// Offset is the page number, from 0.
	Offset *int64 `json:"Offset,omitempty"`
	// Status filters by order status (1 to 12, see DealStatus); the
	// service's default is 4.
	Status    *int64  `json:"Status,omitempty"`
	OrderId   *string `json:"OrderId,omitempty"`
	BigDealId *string `json:"BigDealId,omitempty"`
	// ResourceId filters by the resource the order is for.
	ResourceId *string `json:"ResourceId,omitempty"`
}

// Target implements Request.
func (r *DescribeDealsByCondRequest) Target() Target {
	return Target{Service: "billing", Version: VersionBilling, Action: "DescribeDealsByCond"}
}

// DescribeDealsByCondResponse is the answer to DescribeDealsByCond.
type DescribeDealsByCondResponse struct {
	Deals      []Deal `json:"Deals,omitempty"`
	TotalCount *int64 `json:"TotalCount,omitempty"`
	RequestId  string `json:"RequestId"`
}

// Deal is one order as DescribeDealsByCond reports it. Amounts are in cents.
type Deal struct {
	OrderId         *string  `json:"OrderId,omitempty"`
	Status          *int64   `json:"Status,omitempty"`
	Payer           *string  `json:"Payer,omitempty"`
	CreateTime      *string  `json:"CreateTime,omitempty"`
	Creator         *string  `json:"Creator,omitempty"`
	RealTotalCost   *int64   `json:"RealTotalCost,omitempty"`
	VoucherDecline  *int64   `json:"VoucherDecline,omitempty"`
	ProjectId       *int64   `json:"ProjectId,omitempty"`
	GoodsCategoryId *int64   `json:"GoodsCategoryId,omitempty"`
	TimeSpan        *float64 `json:"TimeSpan,omitempty"`
	TimeUnit        *string  `json:"TimeUnit,omitempty"`
	Currency        *string  `json:"Currency,omitempty"`
	Policy          *float64 `json:"Policy,omitempty"`
	Price           *float64 `json:"Price,omitempty"`
	TotalCost       *float64 `json:"TotalCost,omitempty"`
	ProductCode     *string  `json:"ProductCode,omitempty"`
	SubProductCode  *string  `json:"SubProductCode,omitempty"`
	BigDealId       *string  `json:"BigDealId,omitempty"`
	PayMode         *string  `json:"PayMode,omitempty"`
	Action          *string  `json:"Action,omitempty"`
	ProductName     *string  `json:"ProductName,omitempty"`
	SubProductName  *string  `json:"SubProductName,omitempty"`
	ResourceId      []string `json:"ResourceId,omitempty"`
}

// DealStatus values of Deal.Status and DescribeDealsByCondRequest.Status.
const (
	DealUnpaid             = 1
	DealPaid               = 2
	DealShipping           = 3
	DealShipped            = 4 // done
	DealShipmentFailed     = 5
	DealRefunded           = 6
	DealClosed             = 7
	DealExpired            = 8
	DealInvalid            = 9
	DealProductInvalidated = 10
	DealPaymentRefused     = 11 // a third party refused to pay
	DealPaying             = 12
)

// DescribeAccountBalanceRequest reads the account balance (billing
// 2018-07-09 DescribeAccountBalance). It changes nothing, which makes it the
// call Dealdesk uses to check that credentials work.
type DescribeAccountBalanceRequest struct{}

// Target implements Request.
func (r *DescribeAccountBalanceRequest) Target() Target {
	return Target{Service: "billing", Version: VersionBilling, Action: "DescribeAccountBalance"}
}

// Validate implements Request: the action takes no parameters.
func (r *DescribeAccountBalanceRequest) Validate() error { return nil }

// DescribeAccountBalanceResponse is the answer to DescribeAccountBalance.
// Amounts are in cents.
type DescribeAccountBalanceResponse struct {
	// Balance is the available balance shown to the account's owner.
	Balance                  *int64   `json:"Balance,omitempty"`
	Uin                      *int64   `json:"Uin,omitempty"`
	RealBalance              *float64 `json:"RealBalance,omitempty"`
	CashAccountBalance       *float64 `json:"CashAccountBalance,omitempty"`
	IncomeIntoAccountBalance *float64 `json:"IncomeIntoAccountBalance,omitempty"`
	PresentAccountBalance    *float64 `json:"PresentAccountBalance,omitempty"`
	FreezeAmount             *float64 `json:"FreezeAmount,omitempty"`
	OweAmount                *float64 `json:"OweAmount,omitempty"`
	IsAllowArrears           *bool    `json:"IsAllowArrears,omitempty"`
	IsCreditLimited          *bool    `json:"IsCreditLimited,omitempty"`
	CreditAmount             *float64 `json:"CreditAmount,omitempty"`
	CreditBalance            *float64 `json:"CreditBalance,omitempty"`
	RealCreditBalance        *float64 `json:"RealCreditBalance,omitempty"`
	RequestId                string   `json:"RequestId"`
}

// actionCreateInstance is everything this package knows about Billing
// CreateInstance.
var actionCreateInstance = Action{
	Service: "billing", Version: VersionBilling, Name: "CreateInstance", Host: HostBilling,
	NewRequest:  func() Request { return new(CreateInstanceRequest) },
	newResponse: func() any { return new(CreateInstanceResponse) },
	judge:       judgeCreateInstance,
	choices: map[string][]Choice{
		"PayMode": {{"PrePay", "pay upfront", "Pay upfront"}},
		"PeriodUnit": {
			{"m", "months", "months"}, {"y", "years", "years"}},
		"RenewFlag": {
			{"NOTIFY_AND_MANUAL_RENEW", "renew by hand", "Notify, renew by hand"},
			{"NOTIFY_AND_AUTO_RENEW", "renew automatically", "Notify, renew automatically"},
			{"DISABLE_NOTIFY_AND_MANUAL_RENEW", "do not renew", "Do not renew"}},
	},
	errors: []ErrorInfo{
		{"FailedOperation.BalanceInsufficient", "The account balance is not enough to pay.", "账户余额不足。"},
		{"FailedOperation.BusinessCheckErrCode", "The product's own checks refused the order.", "业务侧校验失败。"},
		{"FailedOperation.DistributeError", "Purchases are restricted in this distribution scenario.", "分销场景受限。"},
		{"FailedOperation.GetPriceParamError", "The price could not be computed from the parameters.", "由于参数问题导致询价失败。"},
		{"FailedOperation.InvalidDeal", "The order is in the wrong state: only unpaid orders can be paid.", "订单状态错误，只有未支付订单才能支付。"},
		{"FailedOperation.InvalidGoodsCategoryId", "The goods category (order type) is invalid.", "订单类型 ID 无效。"},
		{"FailedOperation.NumLimitError", "The quantity is above the maximum.", "购买数量超过上限。"},
		{"FailedOperation.dealCreateWhitelistError", "Ordering is limited to an allowlist this account is not on.", "下单白名单拦截。"},
		{"InternalError.InternalError", "The billing system had an internal error.", "内部系统错误。"},
		{"InvalidParameter.ApiParamError", "A parameter is wrong.", "参数错误。"},
		{"InvalidParameter.InvalidParameter", "A parameter is wrong.", "参数错误。"},
		{"UnauthorizedOperation.CertificationNeedUpgrade", "The account's real-name information must be completed before buying.", "账户安全升级，购买云资源需要完善实名信息。"},
		{"UnauthorizedOperation.NotCertification", "The account has no real-name authentication, so payment failed.", "账户未实名认证，支付失败。"},
		{"UnsupportedOperation.NOT_SUPPORT_THIS_ACTION", "This action is not supported at present.", "暂不支持该操作。"},
	},
	// Its deals carry the request's own ProductCode and SubProductCode.
	deals: func(req Request) []DealPattern {
		r := req.(*CreateInstanceRequest)
		return []DealPattern{{ProductCode: Deref(r.ProductCode), SubProductCode: Deref(r.SubProductCode), Action: "purchase",
			TimeSpan: max(Deref(r.Period), 1), TimeUnit: orDefault(Deref(r.PeriodUnit), "m")}}
	},
}

// actionDescribeDealsByCond looks deals up; it buys nothing.
var actionDescribeDealsByCond = Action{
	Service: "billing", Version: VersionBilling, Name: "DescribeDealsByCond", Host: HostBilling,
	NewRequest:  func() Request { return new(DescribeDealsByCondRequest) },
	newResponse: func() any { return new(DescribeDealsByCondResponse) },
}

// actionDescribeAccountBalance reads the balance; it buys nothing.
var actionDescribeAccountBalance = Action{
	Service: "billing", Version: VersionBilling, Name: "DescribeAccountBalance", Host: HostBilling,
	NewRequest:  func() Request { return new(DescribeAccountBalanceRequest) },
	newResponse: func() any { return new(DescribeAccountBalanceResponse) },
}
