package orders

import (
	"context"
	"slices"
	"time"

	"dealdesk/internal/db"
)

// SpendOrder is a succeeded order as the spend pages count it: a record
// read as stored, named here for the pages.
type SpendOrder = db.SpendOrder

// SpendBucket is one bar of a spend chart: a month or a product.
type SpendBucket struct {
	Key   string // "2026-11", or the product
	Label string
	Fen   int64
}

// Spend is what an account (or one cost centre's orders of it) spent over
// the last twelve months (Beijing time): by month, by product, its
// largest orders, every order counted, and its budgets with their use.
type Spend struct {
	Months   []SpendBucket
	Products []SpendBucket
	Largest  []SpendOrder
	Orders   []SpendOrder
	// Unpriced counts orders with neither a bill nor an estimate (not in
	// the sums).
	Unpriced int
	TotalFen int64
	Budgets  []BudgetUse
}

// SpendMonths is how many months the spend pages cover.
const SpendMonths = 12

// SpendOf reads the spend of an account, or of one cost centre's orders of
// it (costCentreID not 0), over the SpendMonths months up to now.
func (s *Service) SpendOf(ctx context.Context, accountID, costCentreID int64, now time.Time) (Spend, error) {
	bj := time.FixedZone("CST", 8*3600)
	n := now.In(bj)
	first := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, bj).AddDate(0, -(SpendMonths - 1), 0)
	rows, err := db.SpendOrders(ctx, s.pool, accountID, costCentreID, first)
	if err != nil {
		return Spend{}, err
	}
	out := Spend{Orders: rows}
	months := map[string]int{}
	for i := range SpendMonths {
		m := first.AddDate(0, i, 0)
		months[m.Format("2006-01")] = i
		out.Months = append(out.Months, SpendBucket{Key: m.Format("2006-01"), Label: m.Format("Jan 2006")})
	}
	products := map[string]int{}
	for _, o := range rows {
		if o.AmountFen == nil {
			out.Unpriced++
			continue
		}
		out.TotalFen += *o.AmountFen
		if i, ok := months[o.BoughtAt.In(bj).Format("2006-01")]; ok {
			out.Months[i].Fen += *o.AmountFen
		}
		i, ok := products[o.Product]
		if !ok {
			i = len(out.Products)
			products[o.Product] = i
			out.Products = append(out.Products, SpendBucket{Key: o.Product, Label: Product(o.Product).Label()})
		}
		out.Products[i].Fen += *o.AmountFen
	}
	slices.SortStableFunc(out.Products, func(a, b SpendBucket) int { return cmpDesc(a.Fen, b.Fen) })
	largest := slices.Clone(rows)
	slices.SortStableFunc(largest, func(a, b SpendOrder) int { return cmpDesc(deref(a.AmountFen), deref(b.AmountFen)) })
	out.Largest = largest[:min(10, len(largest))]
	uses, err := db.BudgetUses(ctx, s.pool, []int64{accountID}, nil, 0)
	if err != nil {
		return Spend{}, err
	}
	for _, u := range uses {
		if costCentreID == 0 || u.CostCentreID == costCentreID || u.CostCentreID == 0 {
			out.Budgets = append(out.Budgets, u)
		}
	}
	return out, nil
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
