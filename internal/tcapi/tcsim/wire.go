package tcsim

// The sandbox's own request and response types, written from the API
// documents (the seeds in ../testdata/seeds and tencentcloud-api.md), not
// borrowed from tcapi: the sandbox is the second opinion on what the client
// sends, so a mistake in the client's types or rules must not pass both.
// Every parameter is a pointer so that "not sent" and "sent as zero" stay
// apart, as the service tells them apart.

// wafRequest is waf 2018-01-25 GenerateDealsAndPayNew: "Goods.N | Yes |
// Array of GoodNews". Region is the X-TC-Region header.
type wafRequest struct {
	Region string     `json:"-"`
	Goods  []wafGoods `json:"Goods"`
}

// wafGoods is GoodNews: GoodsNum and GoodsDetail required, GoodsCategoryId
// and RegionId (1 mainland, 9 outside) optional.
type wafGoods struct {
	GoodsNum        *int64     `json:"GoodsNum"`
	GoodsDetail     *wafDetail `json:"GoodsDetail"`
	GoodsCategoryId *int64     `json:"GoodsCategoryId"`
	RegionId        *int64     `json:"RegionId"`
}

// wafDetail is GoodsDetailNew; every member is optional in the document.
type wafDetail struct {
	TimeSpan       *int64   `json:"TimeSpan"`
	TimeUnit       *string  `json:"TimeUnit"`
	SubProductCode *string  `json:"SubProductCode"`
	Pid            *int64   `json:"Pid"`
	InstanceName   *string  `json:"InstanceName"`
	AutoRenewFlag  *int64   `json:"AutoRenewFlag"`
	RealRegion     *int64   `json:"RealRegion"`
	LabelTypes     []string `json:"LabelTypes"`
	LabelCounts    []int64  `json:"LabelCounts"`
	CurDeadline    *string  `json:"CurDeadline"`
	InstanceId     *string  `json:"InstanceId"`
	ResourceId     *string  `json:"ResourceId"`
	MicroVersion   *string  `json:"MicroVersion"`
}

// createInstanceRequest is billing 2018-07-09 CreateInstance.
type createInstanceRequest struct {
	ClientToken    *string `json:"ClientToken"`
	ProductCode    *string `json:"ProductCode"`
	SubProductCode *string `json:"SubProductCode"`
	RegionCode     *string `json:"RegionCode"`
	ZoneCode       *string `json:"ZoneCode"`
	PayMode        *string `json:"PayMode"`
	Parameter      *string `json:"Parameter"`
	Quantity       *int64  `json:"Quantity"`
	ProjectId      *int64  `json:"ProjectId"`
	Period         *int64  `json:"Period"`
	PeriodUnit     *string `json:"PeriodUnit"`
	RenewFlag      *string `json:"RenewFlag"`
}

// renewInstanceRequest is billing 2018-07-09 RenewInstance (the SDK's
// billing v20180709 model: ClientToken, ProductCode, SubProductCode,
// RegionCode, InstanceId, Period, PeriodUnit).
type renewInstanceRequest struct {
	ClientToken    *string `json:"ClientToken"`
	ProductCode    *string `json:"ProductCode"`
	SubProductCode *string `json:"SubProductCode"`
	RegionCode     *string `json:"RegionCode"`
	InstanceId     *string `json:"InstanceId"`
	Period         *int64  `json:"Period"`
	PeriodUnit     *string `json:"PeriodUnit"`
}

// billDealRequest is tcb 2018-06-08 CreateBillDeal.
type billDealRequest struct {
	DealType        *string  `json:"DealType"`
	ProductType     *string  `json:"ProductType"`
	PackageId       *string  `json:"PackageId"`
	CreateAndPay    *bool    `json:"CreateAndPay"`
	TimeSpan        *int64   `json:"TimeSpan"`
	TimeUnit        *string  `json:"TimeUnit"`
	ResourceId      *string  `json:"ResourceId"`
	Source          *string  `json:"Source"`
	Alias           *string  `json:"Alias"`
	EnvId           *string  `json:"EnvId"`
	EnableExcess    *bool    `json:"EnableExcess"`
	ModifyPackageId *string  `json:"ModifyPackageId"`
	Extension       *string  `json:"Extension"`
	AutoVoucher     *bool    `json:"AutoVoucher"`
	ResourceTypes   []string `json:"ResourceTypes"`
	EnvTags         []envTag `json:"EnvTags"`
}

type envTag struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

// dealsRequest is billing 2018-07-09 DescribeDealsByCond.
type dealsRequest struct {
	StartTime  *string `json:"StartTime"`
	EndTime    *string `json:"EndTime"`
	Limit      *int64  `json:"Limit"`
	Offset     *int64  `json:"Offset"`
	Status     *int64  `json:"Status"`
	OrderId    *string `json:"OrderId"`
	BigDealId  *string `json:"BigDealId"`
	ResourceId *string `json:"ResourceId"`
}

// balanceRequest is billing 2018-07-09 DescribeAccountBalance: no parameters.
type balanceRequest struct{}

// Answers, as the documents show them.

type wafResponse struct {
	Data          *wafDealData `json:"Data,omitempty"`
	Status        int64        `json:"Status"`
	ReturnMessage string       `json:"ReturnMessage,omitempty"`
	InstanceId    string       `json:"InstanceId,omitempty"`
	RequestId     string       `json:"RequestId"`
}

type wafDealData struct {
	DealNames []string `json:"DealNames"`
	BigDealId string   `json:"BigDealId"`
}

type createInstanceResponse struct {
	OrderId        string   `json:"OrderId"`
	InstanceIdList []string `json:"InstanceIdList"`
	RequestId      string   `json:"RequestId"`
}

type renewInstanceResponse struct {
	OrderIdList []string `json:"OrderIdList"`
	RequestId   string   `json:"RequestId"`
}

type requestIDOnly struct {
	RequestId string `json:"RequestId"`
}

type dealsResponse struct {
	Deals      []dealOut `json:"Deals"`
	TotalCount int64     `json:"TotalCount"`
	RequestId  string    `json:"RequestId"`
}

// dealOut is one Deal of DescribeDealsByCond. Amounts are in cents.
type dealOut struct {
	OrderId         string   `json:"OrderId"`
	Status          int64    `json:"Status"`
	Payer           string   `json:"Payer"`
	CreateTime      string   `json:"CreateTime"`
	Creator         string   `json:"Creator"`
	RealTotalCost   int64    `json:"RealTotalCost"`
	VoucherDecline  int64    `json:"VoucherDecline"`
	ProjectId       int64    `json:"ProjectId"`
	GoodsCategoryId int64    `json:"GoodsCategoryId"`
	TimeSpan        float64  `json:"TimeSpan"`
	TimeUnit        string   `json:"TimeUnit"`
	Currency        string   `json:"Currency"`
	Policy          float64  `json:"Policy"`
	Price           float64  `json:"Price"`
	TotalCost       float64  `json:"TotalCost"`
	ProductCode     string   `json:"ProductCode"`
	SubProductCode  string   `json:"SubProductCode"`
	BigDealId       string   `json:"BigDealId"`
	PayMode         string   `json:"PayMode"`
	Action          string   `json:"Action"`
	ResourceId      []string `json:"ResourceId"`
}

type balanceResponse struct {
	Balance                  int64   `json:"Balance"`
	Uin                      int64   `json:"Uin"`
	RealBalance              float64 `json:"RealBalance"`
	CashAccountBalance       float64 `json:"CashAccountBalance"`
	IncomeIntoAccountBalance float64 `json:"IncomeIntoAccountBalance"`
	PresentAccountBalance    float64 `json:"PresentAccountBalance"`
	FreezeAmount             float64 `json:"FreezeAmount"`
	OweAmount                float64 `json:"OweAmount"`
	IsAllowArrears           bool    `json:"IsAllowArrears"`
	IsCreditLimited          bool    `json:"IsCreditLimited"`
	CreditAmount             float64 `json:"CreditAmount"`
	CreditBalance            float64 `json:"CreditBalance"`
	RealCreditBalance        float64 `json:"RealCreditBalance"`
	RequestId                string  `json:"RequestId"`
}

// Deal statuses (DescribeDealsByCond): 1 unpaid … 4 shipped … 12 paying.
const (
	dealUnpaid  = 1
	dealShipped = 4
	dealPaying  = 12
)

// Error codes the sandbox answers (common and business codes of the documents).
const (
	codeMissingParameter      = "MissingParameter"
	codeInvalidParameter      = "InvalidParameter"
	codeInvalidParameterValue = "InvalidParameterValue"
	codeUnknownParameter      = "UnknownParameter"
	codeUnsupportedRegion     = "UnsupportedRegion"
	codeNumLimitError         = "FailedOperation.NumLimitError"
	codeResourceNotFound      = "ResourceNotFound"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
