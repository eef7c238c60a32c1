package tcsim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// createInstanceRoute is billing 2018-07-09 CreateInstance.
var createInstanceRoute = newRoute("billing", "2018-07-09", "CreateInstance", false,
	func(r *createInstanceRequest, _ string) *apiError { return validateCreateInstance(r) }, (*Sim).createInstance)

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

type createInstanceResponse struct {
	OrderId        string   `json:"OrderId"`
	InstanceIdList []string `json:"InstanceIdList"`
	RequestId      string   `json:"RequestId"`
}

// createInstance is idempotent on (SecretId, ClientToken): the same token
// with the same parameters returns the first order and buys nothing. The
// same token with other parameters is refused with InvalidParameterValue,
// the code the service uses for a value it will not accept. Parameters are
// compared as decoded, so key order and spacing do not matter, but leaving
// out a parameter is not the same as sending its default.
func (s *Sim) createInstance(r *createInstanceRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	params, err := json.Marshal(r)
	if err != nil {
		return nil, fail("InternalError", "the sandbox could not encode the request")
	}
	key := tokenKey{secretID, *r.ClientToken}
	if o, ok := s.tokens[key]; ok {
		if !bytes.Equal(o.params, params) {
			return nil, fail(codeInvalidParameterValue, "ClientToken: this token was already used for order %s with different parameters; resend a token only with the parameters it was first sent with", o.id)
		}
		call.Orders = []string{o.id}
		return &createInstanceResponse{OrderId: o.id, InstanceIdList: o.resourceIDs, RequestId: call.RequestID}, nil
	}
	cost := billingPrice(s.prices(), r)
	if err := s.charge(secretID, cost); err != nil {
		return nil, err
	}
	qty := deref(r.Quantity)
	if qty == 0 {
		qty = 1
	}
	unit := cmpOr(deref(r.PeriodUnit), "m")
	period := max(deref(r.Period), 1)
	o := &order{
		id: s.nextID(now), secretID: secretID, status: dealShipped, created: now,
		productCode: *r.ProductCode, subProductCode: *r.SubProductCode, timeSpan: period,
		timeUnit: unit, cost: cost, action: "purchase", params: params,
	}
	o.resourceIDs = make([]string, min(qty, maxSandboxQuantity))
	for i := range o.resourceIDs {
		o.resourceIDs[i] = instancePrefix(*r.ProductCode) + randomID(8)
		s.ownLocked(Resource{SecretID: secretID, ID: o.resourceIDs[i], Product: *r.ProductCode, SubProductCode: *r.SubProductCode,
			Created: now, Expiry: extend(now, period, unit), Deals: []string{o.id}}, now)
	}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	s.tokens[key] = o
	call.Bought, call.Charged, call.Orders = true, cost, []string{o.id}
	return &createInstanceResponse{OrderId: o.id, InstanceIdList: o.resourceIDs, RequestId: call.RequestID}, nil
}

// validateCreateInstance: ClientToken "at most 64 ASCII characters";
// ProductCode, SubProductCode, RegionCode, ZoneCode, PayMode ("PrePay") and
// Parameter (a JSON string of product details) required; Quantity (the
// business error FailedOperation.NumLimitError past the maximum), ProjectId,
// Period 1..36, PeriodUnit m or y, RenewFlag's three values.
func validateCreateInstance(r *createInstanceRequest) *apiError {
	if t := deref(r.ClientToken); t == "" {
		return missing("ClientToken", "is required")
	} else if len(t) > 64 || !ascii(t) {
		return invalid("ClientToken", "must be 1 to 64 ASCII characters")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"ProductCode", r.ProductCode}, {"SubProductCode", r.SubProductCode}, {"RegionCode", r.RegionCode}, {"ZoneCode", r.ZoneCode}, {"PayMode", r.PayMode}, {"Parameter", r.Parameter}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
	}
	if !regionShape.MatchString(*r.RegionCode) {
		return invalid("RegionCode", "must be a region such as ap-guangzhou")
	}
	if rest, ok := strings.CutPrefix(*r.ZoneCode, *r.RegionCode); !ok || !zoneNumber.MatchString(rest) {
		return invalid("ZoneCode", "must be a zone of %s, such as %[1]s-1", *r.RegionCode)
	}
	if *r.PayMode != "PrePay" {
		return invalid("PayMode", "must be PrePay")
	}
	var param map[string]any
	if err := json.Unmarshal([]byte(*r.Parameter), &param); err != nil || param == nil {
		return invalid("Parameter", "must be a JSON object with the product's details")
	}
	for _, k := range []struct{ key, outer string }{{"productCode", *r.ProductCode}, {"subProductCode", *r.SubProductCode}} {
		if v, ok := param[k.key]; ok && v != k.outer {
			return invalid("Parameter."+k.key, "must name the same product as the request (%s)", k.outer)
		}
	}
	if v := r.Quantity; v != nil && *v < 1 {
		return invalid("Quantity", "must be at least 1")
	} else if v != nil && *v > maxSandboxQuantity {
		return fail(codeNumLimitError, "Quantity: the quantity exceeds the maximum limit")
	}
	if v := r.ProjectId; v != nil && *v < 0 {
		return invalid("ProjectId", "must not be negative")
	}
	if v := r.Period; v != nil && (*v < 1 || *v > 36) {
		return invalid("Period", "must be from 1 to 36")
	}
	if v := r.PeriodUnit; v != nil && *v != "m" && *v != "y" {
		return invalid("PeriodUnit", "must be m or y")
	}
	if v := r.RenewFlag; v != nil && !slices.Contains([]string{"NOTIFY_AND_MANUAL_RENEW", "NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"}, *v) {
		return invalid("RenewFlag", "must be NOTIFY_AND_MANUAL_RENEW, NOTIFY_AND_AUTO_RENEW or DISABLE_NOTIFY_AND_MANUAL_RENEW")
	}
	return nil
}
