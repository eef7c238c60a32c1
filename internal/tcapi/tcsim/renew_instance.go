package tcsim

import (
	"bytes"
	"encoding/json"
	"time"

	"dealdesk/internal/tcapi"
)

// renewInstance answers Billing RenewInstance like createInstance answers
// CreateInstance: idempotent on (SecretId, ClientToken), so a token already
// seen with the same parameters returns its order and charges nothing, and
// a token seen with other parameters (a CreateInstance token included) is
// refused with InvalidParameterValue. It answers OrderIdList, one order per
// renewal.
//
// It renews whatever InstanceId names for now; whether the account owns
// that instance, and its expiry, belong to the sandbox's memory of what it
// sold (issue 13 part 2), which checks here before charging.
func (s *Sim) renewInstance(r *tcapi.RenewInstanceRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	params, err := json.Marshal(r)
	if err != nil {
		return nil, fail("InternalError", "the sandbox could not encode the request")
	}
	key := tokenKey{secretID, *r.ClientToken}
	if o, ok := s.tokens[key]; ok {
		if !bytes.Equal(o.params, params) {
			return nil, fail(tcapi.CodeInvalidParameterValue, "ClientToken: this token was already used for order %s with different parameters; resend a token only with the parameters it was first sent with", o.id)
		}
		call.Orders = []string{o.id}
		return &tcapi.RenewInstanceResponse{OrderIdList: []string{o.id}, RequestId: call.RequestID}, nil
	}
	cost := renewPrice(r)
	if err := s.charge(secretID, cost); err != nil {
		return nil, err
	}
	unit := tcapi.Deref(r.PeriodUnit)
	if unit == "" {
		unit = "m"
	}
	o := &order{
		id: s.nextID(now), secretID: secretID, status: tcapi.DealShipped, created: now,
		productCode: *r.ProductCode, subProductCode: *r.SubProductCode, timeSpan: max(tcapi.Deref(r.Period), 1),
		timeUnit: unit, cost: cost, action: "renew", resourceIDs: []string{*r.InstanceId}, params: params,
	}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	s.tokens[key] = o
	call.Bought, call.Charged, call.Orders = true, cost, []string{o.id}
	return &tcapi.RenewInstanceResponse{OrderIdList: []string{o.id}, RequestId: call.RequestID}, nil
}
