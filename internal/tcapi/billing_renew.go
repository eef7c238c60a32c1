package tcapi

import "strings"

// RenewInstanceRequest renews an instance bought through the international
// billing service (billing 2018-07-09 RenewInstance, the same host as
// CreateInstance; the SDK's document names Cloud Firewall as the product it
// supports). It pays from the account balance and takes no region.
//
// Fields confirmed in the official SDKs' billing v20180709 models
// (tencentcloud-sdk-dotnet Billing/V20180709/Models/RenewInstanceRequest.cs
// and RenewInstanceResponse.cs; the intl Go SDK's client.go lists the error
// codes): ClientToken, ProductCode, SubProductCode, RegionCode, InstanceId
// (strings), Period (integer, at most 36, default 1), PeriodUnit (m or y,
// default m); the answer is OrderIdList. The models mark nothing required;
// the documents' description of each field (a token, the product's codes,
// the region, the instance) leaves nothing to renew without them, so
// Dealdesk requires all but the term.
type RenewInstanceRequest struct {
	// ClientToken makes the call idempotent, as CreateInstance's does: made
	// once per order, stored, and sent on every resend. At most 64 ASCII
	// characters, case-sensitive.
	ClientToken *string `json:"ClientToken,omitempty"`
	// ProductCode, such as p_cloudfirewall.
	ProductCode *string `json:"ProductCode,omitempty"`
	// SubProductCode, such as sp_cloudfirewall_svv1.
	SubProductCode *string `json:"SubProductCode,omitempty"`
	// RegionCode, such as ap-guangzhou: where the instance is.
	RegionCode *string `json:"RegionCode,omitempty"`
	// InstanceId is the one instance to renew.
	InstanceId *string `json:"InstanceId,omitempty"`
	// Period is 1 to 36 (default 1) in PeriodUnit.
	Period *int64 `json:"Period,omitempty"`
	// PeriodUnit is m (months, the default) or y (years).
	PeriodUnit *string `json:"PeriodUnit,omitempty"`
}

// Target implements Request.
func (r *RenewInstanceRequest) Target() Target {
	return Target{Service: "billing", Version: VersionBilling, Action: "RenewInstance"}
}

// RenewInstanceResponse is the answer to RenewInstance.
type RenewInstanceResponse struct {
	// OrderIdList lists the billing orders the renewal made.
	OrderIdList []string `json:"OrderIdList,omitempty"`
	RequestId   string   `json:"RequestId"`
}

// OrderIDs is the answer's order ids as one searchable value: the one id,
// or several joined by commas.
func (r *RenewInstanceResponse) OrderIDs() string {
	var ids []string
	for _, id := range r.OrderIdList {
		if id != "" {
			ids = append(ids, id)
		}
	}
	return strings.Join(ids, ",")
}

// Trace: the billing orders of the renewal.
func (r *RenewInstanceResponse) Trace() Trace { return Trace{OrderID: r.OrderIDs()} }

// judgeRenewInstance: like CreateInstance, an answer without an order id
// proves neither that the renewal was made nor that it was not.
func judgeRenewInstance(resp any) (Outcome, string) {
	if resp.(*RenewInstanceResponse).OrderIDs() == "" {
		return NeedsReview, "the answer has no OrderIdList"
	}
	return Succeeded, ""
}

// actionRenewInstance is everything this package knows about Billing
// RenewInstance.
var actionRenewInstance = Action{
	Service: "billing", Version: VersionBilling, Name: "RenewInstance", Host: HostBilling,
	NewRequest:  func() Request { return new(RenewInstanceRequest) },
	newResponse: func() any { return new(RenewInstanceResponse) },
	judge:       judgeRenewInstance,
	choices: map[string][]Choice{
		"PeriodUnit": {{"m", "months", "months"}, {"y", "years", "years"}},
	},
	// CreateInstance's codes (in its own list), and one of its own (the
	// intl SDK's list for the action).
	errors: []ErrorInfo{
		{"InvalidParameter.ResourceLocked", "The instance is locked (another order or change is in progress on it); try again when it finishes.", "资源被锁定，请稍后重试。"},
	},
	deals: func(req Request) []DealPattern {
		r := req.(*RenewInstanceRequest)
		return []DealPattern{{ProductCode: Deref(r.ProductCode), SubProductCode: Deref(r.SubProductCode), Action: "renew",
			TimeSpan: max(Deref(r.Period), 1), TimeUnit: orDefault(Deref(r.PeriodUnit), "m"), ResourceID: Deref(r.InstanceId)}}
	},
}
