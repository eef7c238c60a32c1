package tcsim

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
)

// PriceTable is what the sandbox charges: per product line ("waf",
// "billing", "tcb") and item (a WAF product row's name, a Billing
// ProductCode or "<ProductCode>.<Parameter member>", a CloudBase
// PackageId), one month in cents (fen). In sandbox
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
	billingMonthly = map[string]int64{
		"p_cloudfirewall": 128_000, "p_yunjing": 5_000,
		// Per unit of a Parameter member, per instance (migration 030):
		// Cloud Firewall's editions, then its counts.
		"p_cloudfirewall.sv_cloudfirewall_basic_aeps":       100_000,
		"p_cloudfirewall.sv_cloudfirewall_basic_eeps":       300_000,
		"p_cloudfirewall.sv_cloudfirewall_basic_ueps":       800_000,
		"p_cloudfirewall.sv_cloudfirewall_extended_ibtesps": 100,    // per Mbps
		"p_cloudfirewall.sv_cloudfirewall_extended_vpcbges": 50_000, // per Gbps
		"p_cloudfirewall.sv_cloudfirewall_extended_ndr":     50_000, // per Gbps
		"p_cloudfirewall.sv_cloudfirewall_extended_clasps":  20_000, // on
		"p_cloudfirewall.sv_cloudfirewall_extended_clsesps": 1,      // per GB
		"p_cloudfirewall.sv_cloudfirewall_extended_pcs":     10_000, // per honeypot
		"p_cloudfirewall.sv_cloudfirewall_extended_sub":     10_000, // per instance
		"p_cloudfirewall.sv_cloudfirewall_extended_subs":    10,     // per rule
		"p_cloudfirewall.sv_cloudfirewall_extended_ates":    100,    // per template
		"p_cloudfirewall.sv_cloudfirewall_extended_spt":     50_000, // on
		"p_yunjing.sv_yunjing_vas_la":                       100,    // per unit of log analytics
	}
	tcbMonthly = map[string]int64{
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

// billingPrice charges the instances by ProductCode and, per instance, each
// sv_* member of the Parameter by its units: item "<ProductCode>.<member>"
// per unit per month (an edition flag is one unit). The sandbox knows no
// member's meaning; whatever the table does not list costs defaultMonthly
// a unit.
func billingPrice(t PriceTable, r *createInstanceRequest) int64 {
	qty := max(deref(r.Quantity), 1)
	span, unit := deref(r.Period), deref(r.PeriodUnit)
	total := mulSat(termPrice(monthly(t["billing"], *r.ProductCode), span, unit), qty)
	for member, units := range parameterUnits(deref(r.Parameter)) {
		item := *r.ProductCode + "." + member
		total = addSat(total, mulSat(termPrice(monthly(t["billing"], item), span, unit), mulSat(qty, units)))
	}
	return total
}

// parameterUnits reads the sv_* members of a Parameter that buy something:
// whole numbers above 0, as JSON numbers or strings of digits.
func parameterUnits(parameter string) map[string]int64 {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(parameter), &m) != nil {
		return nil
	}
	out := map[string]int64{}
	for k, raw := range m {
		if !strings.HasPrefix(k, "sv_") {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			s = string(raw)
		}
		if strings.TrimLeft(s, "0123456789") != "" {
			continue
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			out[k] = n
		}
	}
	return out
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
