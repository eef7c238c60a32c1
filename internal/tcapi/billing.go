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
