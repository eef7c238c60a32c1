package orders

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A Billing CreateInstance's Parameter (a JSON object in a string) holds
// what is bought besides the instance itself: Tencent Cloud names those
// members sv_* ("sv_cloudfirewall_basic_ueps": 1 is the Ultimate edition,
// "sv_cloudfirewall_extended_ibtesps": 200 is 200 Mbps of Internet border
// bandwidth, "sv_yunjing_vas_la": "50" is 50 units of Workload Protection
// log analytics). The other members (pid, productCode, goodsNum, timeSpan,
// timeUnit) describe the purchase and cost nothing of their own.
//
// Each sv_* member with a value above 0 is a price list line of its own,
// item "<ProductCode>.<member>", priced per unit of its value, per instance,
// per month: an edition flag is 1 unit, so its line is the edition's monthly
// price. A member the list does not price is an unpriced line, so the order
// has no estimate rather than a silent zero. The sandbox charges the same
// way (internal/tcapi/tcsim/prices.go), without knowing any member's name.
const dimensionPrefix = "sv_"

// DimensionKind says how a Parameter member reads on an estimate.
type DimensionKind string

const (
	// DimensionEdition is an edition flag: 1 buys the edition.
	DimensionEdition DimensionKind = "edition"
	// DimensionUnit is a count of units (Mbps, GB, rules, honeypots…).
	DimensionUnit DimensionKind = "unit"
)

// billingDimensions is the registry of the Parameter members people buy,
// per ProductCode, with their kind. A member missing here but priced by the
// list is still priced, per unit: an admin can price a member nobody has
// named yet without a release.
var billingDimensions = map[string]map[string]DimensionKind{
	"p_cloudfirewall": {
		"sv_cloudfirewall_basic_aeps":       DimensionEdition,
		"sv_cloudfirewall_basic_eeps":       DimensionEdition,
		"sv_cloudfirewall_basic_ueps":       DimensionEdition,
		"sv_cloudfirewall_extended_ibtesps": DimensionUnit,
		"sv_cloudfirewall_extended_vpcbges": DimensionUnit,
		"sv_cloudfirewall_extended_ndr":     DimensionUnit,
		"sv_cloudfirewall_extended_clasps":  DimensionUnit,
		"sv_cloudfirewall_extended_clsesps": DimensionUnit,
		"sv_cloudfirewall_extended_pcs":     DimensionUnit,
		"sv_cloudfirewall_extended_sub":     DimensionUnit,
		"sv_cloudfirewall_extended_subs":    DimensionUnit,
		"sv_cloudfirewall_extended_ates":    DimensionUnit,
		"sv_cloudfirewall_extended_spt":     DimensionUnit,
	},
	"p_yunjing": {
		"sv_yunjing_vas_la": DimensionUnit,
	},
}

// DimensionOf is the kind of a Parameter member of productCode: the
// registry's, else a unit.
func DimensionOf(productCode, member string) DimensionKind {
	if k, ok := billingDimensions[productCode][member]; ok {
		return k
	}
	return DimensionUnit
}

// DimensionItem is the price list item of a Parameter member.
func DimensionItem(productCode, member string) string { return productCode + "." + member }

// parameterUnits reads a Parameter's sv_* members that buy something, in
// name order, with their unit counts. ok is false for a member whose value
// is not a whole number (an unfinished draft): its line cannot be priced.
type parameterUnit struct {
	member string
	units  int64
	ok     bool
}

func parameterUnits(parameter string) []parameterUnit {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(parameter), &m) != nil {
		return nil
	}
	var out []parameterUnit
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !strings.HasPrefix(k, dimensionPrefix) {
			continue
		}
		n, ok := wholeNumber(m[k])
		if ok && n == 0 {
			continue
		}
		out = append(out, parameterUnit{member: k, units: n, ok: ok})
	}
	return out
}

// wholeNumber reads a JSON number or a string of digits, as the API's
// example writes "sv_yunjing_vas_la":"50".
func wholeNumber(raw json.RawMessage) (int64, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// PriceBasis is what one unit of a price list item is, for the price list
// page: a WAF line's goods, a CloudBase package, a Billing instance (the
// ProductCode's own row) or a Parameter member's edition or unit.
func PriceBasis(line, item string) string {
	switch line {
	case PriceLineWAF:
		return "goods"
	case PriceLineTCB:
		return "package"
	}
	code, member, ok := strings.Cut(item, ".")
	if !ok {
		return "instance"
	}
	return string(DimensionOf(code, member))
}
