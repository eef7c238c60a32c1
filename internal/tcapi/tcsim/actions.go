package tcsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"dealdesk/internal/tcapi"
)

// order is one order (or WAF deal) the sandbox created, as
// DescribeDealsByCond reports it.
type order struct {
	id             string
	secretID       string
	bigDealID      string
	status         int64
	created        time.Time
	productCode    string
	subProductCode string
	categoryID     int64
	timeSpan       int64
	timeUnit       string
	cost           int64
	action         string // purchase, renew or modify
	resourceIDs    []string
	// params is the CreateInstance or RenewInstance request as decoded and re-encoded, to
	// compare a repeated ClientToken's parameters with the first call's.
	params []byte
}

type tokenKey struct{ secretID, token string }

// process carries out a valid call. The caller holds s.mu.
func (s *Sim) process(req tcapi.Request, secretID string, now time.Time, call *Call) (any, *apiError) {
	switch r := req.(type) {
	case *tcapi.GenerateDealsAndPayNewRequest:
		return s.generateDeals(r, secretID, now, call)
	case *tcapi.CreateInstanceRequest:
		return s.createInstance(r, secretID, now, call)
	case *tcapi.RenewInstanceRequest:
		return s.renewInstance(r, secretID, now, call)
	case *tcapi.CreateBillDealRequest:
		return s.createBillDeal(r, secretID, now, call)
	case *tcapi.DescribeDealsByCondRequest:
		return s.describeDeals(r, secretID, call)
	case *tcapi.DescribeAccountBalanceRequest:
		return s.describeBalance(secretID, call), nil
	}
	return nil, fail("InternalError", "the sandbox cannot process %s", req.Target().Action)
}

// charge takes cost from the balance, or says why it cannot.
func (s *Sim) charge(secretID string, cost int64) *apiError {
	bal := s.balanceLocked(secretID)
	if cost > bal {
		return fail("FailedOperation.BalanceInsufficient", "the account balance (%s) is less than the price (%s)", yuan(bal), yuan(cost))
	}
	s.balances[secretID] = bal - cost
	return nil
}

func (s *Sim) generateDeals(r *tcapi.GenerateDealsAndPayNewRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	costs := make([]int64, len(r.Goods))
	var total int64
	for i, g := range r.Goods {
		costs[i] = wafPrice(g)
		total = addSat(total, costs[i])
	}
	if err := s.charge(secretID, total); err != nil {
		return nil, err
	}
	bigDeal := s.nextID(now)
	first := r.Goods[0].GoodsDetail
	instanceID := tcapi.Deref(first.InstanceId)
	if instanceID == "" {
		instanceID = "waf_" + randomID(12)
	}
	names := make([]string, len(r.Goods))
	for i, g := range r.Goods {
		names[i] = s.nextID(now)
		d := g.GoodsDetail
		action := "purchase"
		if g.GoodsCategoryId != nil {
			if _, kind, _ := tcapi.LookupWAFCategory(*g.GoodsCategoryId); kind == tcapi.WAFRenew {
				action = "renew"
			} else if kind == tcapi.WAFModify {
				action = "modify"
			}
		}
		s.orders = append(s.orders, &order{
			id: names[i], secretID: secretID, bigDealID: bigDeal, status: tcapi.DealShipped, created: now,
			productCode: "p_waf", subProductCode: tcapi.Deref(d.SubProductCode), categoryID: tcapi.Deref(g.GoodsCategoryId),
			timeSpan: tcapi.Deref(d.TimeSpan), timeUnit: tcapi.Deref(d.TimeUnit), cost: costs[i], action: action,
			resourceIDs: []string{instanceID},
		})
	}
	call.Bought, call.Charged, call.Orders = true, total, names
	return &tcapi.GenerateDealsAndPayNewResponse{
		Data:          &tcapi.DealData{DealNames: names, BigDealId: tcapi.String(bigDeal)},
		Status:        tcapi.Int64(1),
		ReturnMessage: tcapi.String("success"),
		InstanceId:    tcapi.String(instanceID),
		RequestId:     call.RequestID,
	}, nil
}

// createInstance is idempotent on (SecretId, ClientToken): the same token
// with the same parameters returns the first order and buys nothing. The
// same token with other parameters is refused with InvalidParameterValue,
// the code the service uses for a value it will not accept. Parameters are
// compared as decoded, so key order and spacing do not matter, but leaving
// out a parameter is not the same as sending its default.
func (s *Sim) createInstance(r *tcapi.CreateInstanceRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
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
		return &tcapi.CreateInstanceResponse{OrderId: tcapi.String(o.id), InstanceIdList: o.resourceIDs, RequestId: call.RequestID}, nil
	}
	cost := billingPrice(r)
	if err := s.charge(secretID, cost); err != nil {
		return nil, err
	}
	qty := tcapi.Deref(r.Quantity)
	if qty == 0 {
		qty = 1
	}
	instances := make([]string, min(qty, 100))
	for i := range instances {
		instances[i] = instancePrefix(*r.ProductCode) + randomID(8)
	}
	unit := tcapi.Deref(r.PeriodUnit)
	if unit == "" {
		unit = "m"
	}
	o := &order{
		id: s.nextID(now), secretID: secretID, status: tcapi.DealShipped, created: now,
		productCode: *r.ProductCode, subProductCode: *r.SubProductCode, timeSpan: max(tcapi.Deref(r.Period), 1),
		timeUnit: unit, cost: cost, action: "purchase", resourceIDs: instances, params: params,
	}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	s.tokens[key] = o
	call.Bought, call.Charged, call.Orders = true, cost, []string{o.id}
	return &tcapi.CreateInstanceResponse{OrderId: tcapi.String(o.id), InstanceIdList: instances, RequestId: call.RequestID}, nil
}

// createBillDeal creates the order and, with CreateAndPay, pays it. An
// order left unpaid (the service's default) buys nothing yet.
func (s *Sim) createBillDeal(r *tcapi.CreateBillDealRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	cost := tcbPrice(r)
	status := int64(tcapi.DealUnpaid)
	if tcapi.Deref(r.CreateAndPay) {
		if err := s.charge(secretID, cost); err != nil {
			return nil, err
		}
		status = tcapi.DealShipped
		call.Bought, call.Charged = true, cost
	}
	env := tcapi.Deref(r.ResourceId)
	if env == "" {
		env = tcapi.Deref(r.EnvId)
	}
	if env == "" {
		env = "cloud-" + randomID(16)
	}
	o := &order{
		id: s.nextID(now), secretID: secretID, status: status, created: now,
		productCode: "p_tcb", subProductCode: *r.ProductType, timeSpan: tcapi.Deref(r.TimeSpan), timeUnit: tcapi.Deref(r.TimeUnit),
		cost: cost, action: *r.DealType, resourceIDs: []string{env},
	}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	call.Orders = []string{o.id}
	return &tcapi.CreateBillDealResponse{RequestId: call.RequestID}, nil
}

// describeDeals answers from the orders this SecretId created. Like the
// service it reads times as Beijing time, returns only status 4 orders when
// no Status is given, and reads Offset as a page number ("第多少页，从0开始").
func (s *Sim) describeDeals(r *tcapi.DescribeDealsByCondRequest, secretID string, call *Call) (any, *apiError) {
	// Validate has checked both times.
	start, _ := time.ParseInLocation(tcapi.TimeLayout, *r.StartTime, tcapi.BillingZone())
	end, _ := time.ParseInLocation(tcapi.TimeLayout, *r.EndTime, tcapi.BillingZone())
	status := tcapi.Deref(r.Status)
	if status == 0 {
		status = tcapi.DealShipped
	}
	var match []*order
	for _, o := range s.orders {
		created := o.created.Truncate(time.Second)
		switch {
		case o.secretID != secretID, created.Before(start), created.After(end), o.status != status,
			r.OrderId != nil && *r.OrderId != o.id,
			r.BigDealId != nil && *r.BigDealId != o.bigDealID,
			r.ResourceId != nil && !slices.Contains(o.resourceIDs, *r.ResourceId):
			continue
		}
		match = append(match, o)
	}
	limit, page := *r.Limit, tcapi.Deref(r.Offset)
	from := min(int64(len(match)), mulSat(page, limit))
	to := min(int64(len(match)), from+limit)
	deals := make([]tcapi.Deal, 0, to-from)
	for _, o := range match[from:to] {
		deals = append(deals, o.deal())
	}
	call.Orders = nil
	for _, d := range deals {
		call.Orders = append(call.Orders, *d.OrderId)
	}
	return &tcapi.DescribeDealsByCondResponse{Deals: deals, TotalCount: tcapi.Int64(int64(len(match))), RequestId: call.RequestID}, nil
}

func (o *order) deal() tcapi.Deal {
	f := func(n int64) *float64 { v := float64(n); return &v }
	return tcapi.Deal{
		OrderId: tcapi.String(o.id), Status: tcapi.Int64(o.status), Payer: tcapi.String(uin(o.secretID)),
		CreateTime: tcapi.String(tcapi.DealTime(o.created)), Creator: tcapi.String(uin(o.secretID)),
		RealTotalCost: tcapi.Int64(o.cost), VoucherDecline: tcapi.Int64(0), ProjectId: tcapi.Int64(0),
		GoodsCategoryId: tcapi.Int64(o.categoryID), TimeSpan: f(o.timeSpan), TimeUnit: tcapi.String(o.timeUnit),
		Currency: tcapi.String("CNY"), Policy: f(100), Price: f(o.cost), TotalCost: f(o.cost),
		ProductCode: tcapi.String(o.productCode), SubProductCode: tcapi.String(o.subProductCode),
		BigDealId: tcapi.String(o.bigDealID), PayMode: tcapi.String("prePay"), Action: tcapi.String(o.action),
		ResourceId: o.resourceIDs,
	}
}

func (s *Sim) describeBalance(secretID string, call *Call) any {
	bal := s.balanceLocked(secretID)
	f := float64(bal)
	zero := 0.0
	var id int64
	// uin is made of digits; a failed scan leaves 0, a fine sandbox Uin.
	_, _ = fmt.Sscan(uin(secretID), &id)
	return &tcapi.DescribeAccountBalanceResponse{
		Balance: tcapi.Int64(bal), Uin: &id, RealBalance: &f, CashAccountBalance: &f,
		IncomeIntoAccountBalance: &zero, PresentAccountBalance: &zero, FreezeAmount: &zero, OweAmount: &zero,
		IsAllowArrears: tcapi.Bool(false), IsCreditLimited: tcapi.Bool(false),
		CreditAmount: &zero, CreditBalance: &zero, RealCreditBalance: &f,
		RequestId: call.RequestID,
	}
}

// nextID numbers orders and deals the way billing does: the Beijing date
// and a sequence, "2025120100000001". The caller holds s.mu.
func (s *Sim) nextID(now time.Time) string {
	s.idSeq++
	return fmt.Sprintf("%s%08d", now.In(tcapi.BillingZone()).Format("20060102"), s.idSeq)
}
