package tcsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
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

// beijing is the zone billing reads and writes times in.
var beijing = time.FixedZone("UTC+8", 8*60*60)

// process carries out a valid call. The caller holds s.mu.
func (s *Sim) process(req any, secretID string, now time.Time, call *Call) (any, *apiError) {
	switch r := req.(type) {
	case *wafRequest:
		return s.generateDeals(r, secretID, now, call)
	case *createInstanceRequest:
		return s.createInstance(r, secretID, now, call)
	case *renewInstanceRequest:
		return s.renewInstance(r, secretID, now, call)
	case *billDealRequest:
		return s.createBillDeal(r, secretID, now, call)
	case *dealsRequest:
		return s.describeDeals(r, secretID, call), nil
	case *balanceRequest:
		return s.describeBalance(secretID, call), nil
	}
	return nil, fail("InternalError", "the sandbox cannot process %s", call.Action)
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

// wafLine is what one Goods line asks for, once judged.
type wafLine struct {
	row    wafRow
	known  bool
	kind   string // purchase, renew or modify (an add-on is a purchase for an instance)
	target string // the instance a renewal, change or add-on is for
}

func judgeWAFLine(g wafGoods) wafLine {
	var l wafLine
	l.kind = wafBuy
	if g.GoodsCategoryId != nil {
		l.row, l.kind, l.known = wafByCategory(*g.GoodsCategoryId)
	} else if r, ok := wafBySubProduct(deref(g.GoodsDetail.SubProductCode)); ok {
		l.row, l.known = r, true
	} else if r, ok := wafByPid(deref(g.GoodsDetail.Pid)); ok {
		l.row, l.known = r, true
	}
	if l.kind != wafBuy || (l.known && l.row.addOn()) {
		l.target = deref(g.GoodsDetail.InstanceId)
		if l.target == "" {
			l.target = deref(g.GoodsDetail.ResourceId)
		}
	}
	return l
}

func (s *Sim) generateDeals(r *wafRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	lines := make([]wafLine, len(r.Goods))
	for i, g := range r.Goods {
		lines[i] = judgeWAFLine(g)
		l := lines[i]
		if l.target == "" && l.kind != wafBuy {
			return nil, missing(fmt.Sprintf("Goods[%d].GoodsDetail.InstanceId", i), "is required to renew or change an instance: it names the instance")
		}
		if l.target != "" {
			if _, ok := s.owned(secretID, l.target, "p_waf"); !ok {
				return nil, notOwned(fmt.Sprintf("Goods[%d].GoodsDetail.InstanceId", i), l.target)
			}
		}
	}
	costs := make([]int64, len(r.Goods))
	var total int64
	for i, g := range r.Goods {
		costs[i] = wafPrice(s.prices(), g, lines[i])
		total = addSat(total, costs[i])
	}
	if err := s.charge(secretID, total); err != nil {
		return nil, err
	}
	bigDeal := s.nextID(now)
	// Every new purchase line of one call buys into one new instance, named
	// by the first line's InstanceId if it gives one.
	newInstance := ""
	names := make([]string, len(r.Goods))
	for i, g := range r.Goods {
		names[i] = s.nextID(now)
		d, l := g.GoodsDetail, lines[i]
		res := l.target
		if res == "" {
			if newInstance == "" {
				newInstance = deref(r.Goods[0].GoodsDetail.InstanceId)
				if newInstance == "" {
					newInstance = "waf_" + randomID(12)
				}
			}
			res = newInstance
		}
		unit := deref(d.TimeUnit)
		switch {
		case l.target == "":
			if _, ok := s.owned(secretID, res, "p_waf"); !ok {
				s.ownLocked(Resource{SecretID: secretID, ID: res, Product: "p_waf", SubProductCode: l.row.subProduct,
					Created: now, Expiry: extend(now, deref(d.TimeSpan), unit)}, now)
			}
		case l.kind == wafRenew:
			o, _ := s.owned(secretID, res, "p_waf")
			o.Expiry = extend(renewFrom(o, now), deref(d.TimeSpan), unit)
		}
		if o, ok := s.owned(secretID, res, "p_waf"); ok {
			o.Deals = append(o.Deals, names[i])
		}
		s.orders = append(s.orders, &order{
			id: names[i], secretID: secretID, bigDealID: bigDeal, status: dealShipped, created: now,
			productCode: "p_waf", subProductCode: cmpOr(deref(d.SubProductCode), l.row.subProduct), categoryID: deref(g.GoodsCategoryId),
			timeSpan: deref(d.TimeSpan), timeUnit: unit, cost: costs[i], action: l.kind,
			resourceIDs: []string{res},
		})
	}
	instance := newInstance
	if instance == "" {
		instance = lines[0].target
	}
	call.Bought, call.Charged, call.Orders = true, total, names
	return &wafResponse{
		Data:          &wafDealData{DealNames: names, BigDealId: bigDeal},
		Status:        1,
		ReturnMessage: "success",
		InstanceId:    instance,
		RequestId:     call.RequestID,
	}, nil
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

// createBillDeal creates the order and, with CreateAndPay, pays it. An
// order left unpaid (the service's default) buys nothing yet. A renewal or
// change names its environment in ResourceId, a promotion or resource pack
// in EnvId; either must be the account's own.
func (s *Sim) createBillDeal(r *billDealRequest, secretID string, now time.Time, call *Call) (any, *apiError) {
	env, path := "", ""
	switch {
	case *r.DealType == "renew" || *r.DealType == "modify":
		env, path = *r.ResourceId, "ResourceId"
	case *r.ProductType != "tcb-baas":
		env, path = *r.EnvId, "EnvId"
	}
	if env != "" {
		if _, ok := s.owned(secretID, env, "p_tcb"); !ok {
			return nil, notOwned(path, env)
		}
	}
	cost := tcbPrice(s.prices(), r)
	status := int64(dealUnpaid)
	paid := deref(r.CreateAndPay)
	if paid {
		if err := s.charge(secretID, cost); err != nil {
			return nil, err
		}
		status = dealShipped
		call.Bought, call.Charged = true, cost
	}
	o := &order{
		id: s.nextID(now), secretID: secretID, status: status, created: now,
		productCode: "p_tcb", subProductCode: *r.ProductType, timeSpan: deref(r.TimeSpan), timeUnit: deref(r.TimeUnit),
		cost: cost, action: *r.DealType,
	}
	if env == "" {
		env = "cloud-" + randomID(16)
		if paid {
			s.ownLocked(Resource{SecretID: secretID, ID: env, Product: "p_tcb", SubProductCode: *r.PackageId,
				Created: now, Expiry: extend(now, deref(r.TimeSpan), deref(r.TimeUnit))}, now)
		}
	} else if paid && *r.DealType == "renew" {
		res, _ := s.owned(secretID, env, "p_tcb")
		res.Expiry = extend(renewFrom(res, now), deref(r.TimeSpan), deref(r.TimeUnit))
	}
	if res, ok := s.owned(secretID, env, "p_tcb"); ok && paid {
		res.Deals = append(res.Deals, o.id)
	}
	o.resourceIDs = []string{env}
	o.bigDealID = o.id
	s.orders = append(s.orders, o)
	call.Orders = []string{o.id}
	return &requestIDOnly{RequestId: call.RequestID}, nil
}

// describeDeals answers from the orders this SecretId created, whatever
// became of the call's answer. Like the service it reads times as Beijing
// time, returns only status 4 orders when no Status is given, and reads
// Offset as a page number ("第多少页，从0开始").
func (s *Sim) describeDeals(r *dealsRequest, secretID string, call *Call) any {
	// validateDeals has checked both times.
	start, _ := time.ParseInLocation(timeLayout, *r.StartTime, beijing)
	end, _ := time.ParseInLocation(timeLayout, *r.EndTime, beijing)
	status := deref(r.Status)
	if status == 0 {
		status = dealShipped
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
	limit, page := *r.Limit, deref(r.Offset)
	from := min(int64(len(match)), mulSat(page, limit))
	to := min(int64(len(match)), from+limit)
	deals := make([]dealOut, 0, to-from)
	call.Orders = nil
	for _, o := range match[from:to] {
		deals = append(deals, o.deal())
		call.Orders = append(call.Orders, o.id)
	}
	return &dealsResponse{Deals: deals, TotalCount: int64(len(match)), RequestId: call.RequestID}
}

func (o *order) deal() dealOut {
	return dealOut{
		OrderId: o.id, Status: o.status, Payer: uin(o.secretID),
		CreateTime: o.created.In(beijing).Format(timeLayout), Creator: uin(o.secretID),
		RealTotalCost: o.cost, GoodsCategoryId: o.categoryID, TimeSpan: float64(o.timeSpan), TimeUnit: o.timeUnit,
		Currency: "CNY", Policy: 100, Price: float64(o.cost), TotalCost: float64(o.cost),
		ProductCode: o.productCode, SubProductCode: o.subProductCode,
		BigDealId: o.bigDealID, PayMode: "prePay", Action: o.action,
		ResourceId: slices.Clone(o.resourceIDs),
	}
}

func (s *Sim) describeBalance(secretID string, call *Call) any {
	bal := s.balanceLocked(secretID)
	f := float64(bal)
	var id int64
	// uin is made of digits; a failed scan leaves 0, a fine sandbox Uin.
	_, _ = fmt.Sscan(uin(secretID), &id)
	return &balanceResponse{
		Balance: bal, Uin: id, RealBalance: f, CashAccountBalance: f, RealCreditBalance: f,
		RequestId: call.RequestID,
	}
}

// nextID numbers orders and deals the way billing does: the Beijing date
// and a sequence, "2025120100000001". The caller holds s.mu.
func (s *Sim) nextID(now time.Time) string {
	s.idSeq++
	return fmt.Sprintf("%s%08d", now.In(beijing).Format("20060102"), s.idSeq)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
