package orders

import (
	"context"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
)

// Expiring is one instance on the Renewals page: what it is, whose, when it
// expires, and what renewing it is estimated to cost.
type Expiring struct {
	db.Expiring
	// Renews is the product its renewal is drafted as.
	Renews Product
	// Estimate prices the renewal: the drafted renewal's stored estimate,
	// or, before one is drafted, the renewal the console would draft,
	// by the price list in force. Unavailable when neither can be priced.
	Estimate Estimate
}

// expiringMax bounds the page: a console renewing more than this within 90
// days reads them by account on the bill.
const expiringMax = 500

// ExpiringWithin lists what expires within days of now, soonest first.
// Approvers and admins see every account's; anyone else, the purchases
// they made themselves.
func (s *Service) ExpiringWithin(ctx context.Context, a Actor, now time.Time, days int) ([]Expiring, error) {
	var mine int64
	if !a.Has(auth.RoleApprover) && !a.Has(auth.RoleAdmin) {
		mine = a.UserID
	}
	rows, err := db.ListExpiring(ctx, s.pool, now, now.AddDate(0, 0, days), mine, expiringMax)
	if err != nil {
		return nil, err
	}
	var drafted []int64
	for _, r := range rows {
		if r.RenewalOrderID != 0 {
			drafted = append(drafted, r.RenewalOrderID)
		}
	}
	stored, err := s.EstimatesFor(ctx, drafted)
	if err != nil {
		return nil, err
	}
	list, err := currentPriceList(ctx, s.pool)
	if err != nil {
		return nil, err
	}
	out := make([]Expiring, len(rows))
	for i, r := range rows {
		e := Expiring{Expiring: r, Renews: Product(r.Product).Spec().renewalProduct(), Estimate: Estimate{Unavailable: true}}
		if r.RenewalOrderID != 0 {
			e.Estimate = stored[r.RenewalOrderID]
		} else if est, ok := s.estimateRenewal(ctx, r, list, now); ok {
			e.Estimate = est
		}
		out[i] = e
	}
	return out, nil
}

// estimateRenewal prices the renewal the console would draft for r.
func (s *Service) estimateRenewal(ctx context.Context, r db.Expiring, list PriceList, now time.Time) (Estimate, bool) {
	src, err := s.Get(ctx, r.LastOrderID)
	if err != nil {
		return Estimate{}, false
	}
	from, in, err := renewalSourceFor(src, r.Target)
	if err != nil {
		return Estimate{}, false
	}
	params, err := renewalParams(from, in)
	if err != nil {
		return Estimate{}, false
	}
	est, err := EstimateOf(src.Product.Spec().renewalProduct(), params, list, now)
	if err != nil {
		return Estimate{}, false
	}
	return est, true
}
