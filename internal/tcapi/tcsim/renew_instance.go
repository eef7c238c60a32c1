package tcsim

import (
	"bytes"
	"encoding/json"
	"time"
)

// renewInstanceRoute is billing 2018-07-09 RenewInstance.
var renewInstanceRoute = newRoute("billing", "2018-07-09", "RenewInstance", false,
	func(r *renewInstanceRequest, _ string) *apiError { return validateRenewInstance(r) }, (*Sim).renewInstance)

// renewInstance answers Billing RenewInstance like createInstance answers
// CreateInstance: idempotent on (SecretId, ClientToken), so a token already
// seen with the same parameters returns its order and charges nothing, and
// a token seen with other parameters (a CreateInstance token included) is
// refused with InvalidParameterValue. The instance must be one the account
// owns, of the product named (ResourceNotFound otherwise, charging
// nothing); the renewal moves its expiry by the term. It answers
// OrderIdList, one order per renewal.
func (s *Sim) renewInstance(r *renewInstanceRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	params, err := json.Marshal(r) //nolint:gosec // G117: a ClientToken is an idempotency key, not a secret; kept only to compare resends
	if err != nil {
		return nil, fail("InternalError", "the sandbox could not encode the request")
	}
	key := tokenKey{secretID, *r.ClientToken}
	if o, ok := s.tokens[key]; ok {
		if !bytes.Equal(o.params, params) {
			return nil, fail(codeInvalidParameterValue, "ClientToken: this token was already used for order %s with different parameters; resend a token only with the parameters it was first sent with", o.id)
		}
		call.Orders = []string{o.id}
		return &renewInstanceResponse{OrderIdList: []string{o.id}, RequestId: call.RequestID}, nil
	}
	res, ok := s.owned(secretID, *r.InstanceId, *r.ProductCode)
	if !ok {
		return nil, notOwned("InstanceId", *r.InstanceId)
	}
	cost := renewPrice(s.prices(), r)
	if err := s.charge(secretID, cost); err != nil {
		return nil, err
	}
	unit := cmpOr(deref(r.PeriodUnit), "m")
	period := max(deref(r.Period), 1)
	o := &order{
		id: s.nextID(now), secretID: secretID, status: dealShipped, created: now,
		productCode: *r.ProductCode, subProductCode: *r.SubProductCode, timeSpan: period,
		timeUnit: unit, cost: cost, action: "renew", resourceIDs: []string{*r.InstanceId}, params: params,
	}
	o.bigDealID = o.id
	res.Expiry = extend(renewFrom(res, now), period, unit)
	res.Deals = append(res.Deals, o.id)
	s.orders = append(s.orders, o)
	s.tokens[key] = o
	call.Bought, call.Charged, call.Orders = true, cost, []string{o.id}
	return &renewInstanceResponse{OrderIdList: []string{o.id}, RequestId: call.RequestID}, nil
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

type renewInstanceResponse struct {
	OrderIdList []string `json:"OrderIdList"`
	RequestId   string   `json:"RequestId"`
}

// validateRenewInstance: the same token as CreateInstance, the product's
// codes, the region and the instance to renew (nothing to renew without
// them), Period 1..36 and PeriodUnit m or y.
func validateRenewInstance(r *renewInstanceRequest) *apiError {
	if t := deref(r.ClientToken); t == "" {
		return missing("ClientToken", "is required")
	} else if len(t) > 64 || !ascii(t) {
		return invalid("ClientToken", "must be 1 to 64 ASCII characters")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"ProductCode", r.ProductCode}, {"SubProductCode", r.SubProductCode}, {"RegionCode", r.RegionCode}, {"InstanceId", r.InstanceId}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
	}
	if !regionShape.MatchString(*r.RegionCode) {
		return invalid("RegionCode", "must be a region such as ap-guangzhou")
	}
	if v := r.Period; v != nil && (*v < 1 || *v > 36) {
		return invalid("Period", "must be from 1 to 36")
	}
	if v := r.PeriodUnit; v != nil && *v != "m" && *v != "y" {
		return invalid("PeriodUnit", "must be m or y")
	}
	return nil
}
