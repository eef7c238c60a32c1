package tcsim

import (
	"fmt"
	"maps"
	"math"
)

// PriceTable is what the sandbox charges: per product line ("waf",
// "billing", "tcb") and item (a WAF product row's name, a Billing
// ProductCode, a CloudBase PackageId), one month in cents (fen). In sandbox
// mode the console hands it its own price list (Options.Prices), so what
// the sandbox charges is what the console estimated; the sandbox imports
// neither the domain nor the database for it.
type PriceTable map[string]map[string]int64

// DefaultPrices is the table the sandbox charges when given none: made up,
// only so that balances go down and can run out; none of them is a real
// price. Migration 019 seeds the console's default price list with exactly
// these (TestSeedPricesMatchSandbox).
func DefaultPrices() PriceTable {
	return PriceTable{"waf": clone(wafMonthly), "billing": clone(billingMonthly), "tcb": clone(tcbMonthly)}
}

func clone(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	maps.Copy(out, m)
	return out
}

var (
	wafMonthly = map[string]int64{
		"premium": 328_000, "enterprise": 698_000, "ultimate": 1_998_000,
		"domain": 100_000, "qps": 50_000, "bot": 100_000, "api": 100_000,
	}
	billingMonthly = map[string]int64{"p_cloudfirewall": 128_000, "p_yunjing": 5_000}
	tcbMonthly     = map[string]int64{
		"baas_personal": 1_990, "baas_team": 9_990, "education_demo": 0,
		"pkg_flexdb_promotion_3000": 3_000, "pkg_tcb_api_invoke_num": 990,
	}
)

// defaultMonthly prices whatever the tables do not list.
const defaultMonthly = 10_000

func monthly(table map[string]int64, key string) int64 {
	if p, ok := table[key]; ok {
		return p
	}
	return defaultMonthly
}

// termPrice is a monthly price over span units: d counts as a thirtieth of
// a month, y as twelve months, p (once) as one month.
func termPrice(monthly, span int64, unit string) int64 {
	span = max(span, 1)
	switch unit {
	case "d":
		return max(mulSat(monthly, span)/30, 1)
	case "y":
		return mulSat(mulSat(monthly, span), 12)
	case "p":
		return monthly
	}
	return mulSat(monthly, span)
}

func wafPrice(t PriceTable, g wafGoods, l wafLine) int64 {
	d := g.GoodsDetail
	return mulSat(termPrice(monthly(t["waf"], l.row.name), deref(d.TimeSpan), deref(d.TimeUnit)), deref(g.GoodsNum))
}

func billingPrice(t PriceTable, r *createInstanceRequest) int64 {
	qty := max(deref(r.Quantity), 1)
	return mulSat(termPrice(monthly(t["billing"], *r.ProductCode), deref(r.Period), deref(r.PeriodUnit)), qty)
}

// renewPrice charges a renewal as a purchase of one instance for the term.
func renewPrice(t PriceTable, r *renewInstanceRequest) int64 {
	return termPrice(monthly(t["billing"], *r.ProductCode), deref(r.Period), deref(r.PeriodUnit))
}

func tcbPrice(t PriceTable, r *billDealRequest) int64 {
	pkg := *r.PackageId
	if *r.DealType == "modify" {
		return monthly(t["tcb"], deref(r.ModifyPackageId))
	}
	return termPrice(monthly(t["tcb"], pkg), deref(r.TimeSpan), deref(r.TimeUnit))
}

// mulSat multiplies non-negative amounts, saturating instead of wrapping so
// an absurd quantity reads as unaffordable rather than cheap.
func mulSat(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// yuan writes cents as yuan for messages: 1234 → "12.34 CNY".
func yuan(cents int64) string {
	return fmt.Sprintf("%d.%02d CNY", cents/100, cents%100)
}

// prices is the table in force for one purchase.
func (s *Sim) prices() PriceTable {
	if s.opts.Prices != nil {
		if t := s.opts.Prices(); t != nil {
			return t
		}
	}
	return DefaultPrices()
}
