package tcsim

import (
	"fmt"
	"time"
)

// generateDealsRoute is waf 2018-01-25 GenerateDealsAndPayNew: its body is
// wafRequest, its rules validateWAF (validate_waf.go).
var generateDealsRoute = newRoute("waf", "2018-01-25", "GenerateDealsAndPayNew", true, validateWAF, (*Sim).generateDeals)

// setRegion gives the request its X-TC-Region, which the action requires.
func (r *wafRequest) setRegion(region string) { r.Region = region }

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
