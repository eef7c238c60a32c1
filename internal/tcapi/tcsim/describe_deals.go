package tcsim

import (
	"slices"
	"time"
)

// describeDealsRoute is billing 2018-07-09 DescribeDealsByCond.
var describeDealsRoute = newRoute("billing", "2018-07-09", "DescribeDealsByCond", false,
	func(r *dealsRequest, _ string) *apiError { return validateDeals(r) },
	func(s *Sim, r *dealsRequest, secretID string, _ time.Time, call *Call) (any, *apiError) {
		return s.describeDeals(r, secretID, call), nil
	})

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

// validateDeals: StartTime and EndTime ("YYYY-MM-DD hh:mm:ss") and Limit
// (1 to 1000) required; Offset a page number from 0; Status 1 to 12.
func validateDeals(r *dealsRequest) *apiError {
	var start, end time.Time
	for _, f := range []struct {
		name string
		v    *string
		t    *time.Time
	}{{"StartTime", r.StartTime, &start}, {"EndTime", r.EndTime, &end}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
		t, err := time.Parse(timeLayout, *f.v)
		if err != nil {
			return invalid(f.name, "must be a time written like 2025-12-01 00:00:00")
		}
		*f.t = t
	}
	switch {
	case end.Before(start):
		return invalid("EndTime", "must not be before StartTime")
	case r.Limit == nil:
		return missing("Limit", "is required")
	case *r.Limit < 1 || *r.Limit > 1000:
		return invalid("Limit", "must be from 1 to 1000")
	case r.Offset != nil && *r.Offset < 0:
		return invalid("Offset", "must not be negative")
	case r.Status != nil && (*r.Status < dealUnpaid || *r.Status > dealPaying):
		return invalid("Status", "must be from 1 to 12")
	}
	return nil
}
