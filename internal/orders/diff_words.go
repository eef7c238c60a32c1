package orders

import (
	"regexp"
	"strconv"
	"strings"
)

// WordedChange is a Change in the summary's words: "Internet bandwidth",
// "25 Mbps" → "50 Mbps". Change is the raw row, for the raw diff below.
type WordedChange struct {
	Change Change
	Label  Phrase
	Was    Phrase
	Now    Phrase
}

// Words reads changes of an order of product p in the summary's words, one
// row per change, in the same order. A path nobody has named keeps its
// path as its label and its JSON text as its values.
func Words(p Product, changes []Change) []WordedChange {
	out := make([]WordedChange, 0, len(changes))
	for _, c := range changes {
		label, read := fieldWords(p, c.Field)
		out = append(out, WordedChange{Change: c, Label: label, Was: read(unquote(c.Before)), Now: read(unquote(c.After))})
	}
	return out
}

// unquote turns a JSON string's text into the string; numbers and the rest
// stay as written.
func unquote(v string) string {
	if s, err := strconv.Unquote(v); err == nil && strings.HasPrefix(v, `"`) {
		return s
	}
	return v
}

var goodsIndex = regexp.MustCompile(`^Goods\[(\d+)\]\.`)

// fieldWords names a diff path and says how its values read.
func fieldWords(p Product, path string) (Phrase, func(string) Phrase) {
	plain := func(v string) Phrase {
		if v == "" {
			return phrase("absent")
		}
		return verbatim(v)
	}
	named := func(key string) (Phrase, func(string) Phrase) { return phrase(key), plain }
	switch path {
	case "Account":
		return named("label.account")
	case "Title":
		return named("label.title")
	case "Justification":
		return named("label.justification")
	case "Region", "RegionCode":
		return phrase("label.region"), orAbsent(regionName)
	case "ZoneCode":
		return phrase("label.zone"), orAbsent(zoneName)
	case "Quantity", "Parameter.goodsNum":
		return named("label.quantity")
	case "Period", "Parameter.timeSpan", "TimeSpan":
		return named("label.term")
	case "RenewFlag":
		return phrase("label.renewal"), orAbsent(func(v string) Phrase { return known("renew."+v, v) })
	case "ProductCode":
		return named("label.product_code")
	case "SubProductCode":
		return named("label.sub_product")
	case "InstanceId":
		return named("label.instance")
	case "PackageId":
		return named("label.package")
	case "ModifyPackageId":
		return named("label.new_package")
	case "ResourceId", "EnvId":
		return named("label.environment")
	case "Alias":
		return named("label.alias")
	case "DealType":
		return phrase("label.deal"), orAbsent(func(v string) Phrase { return known("tcb."+v, v) })
	case "CreateAndPay":
		return phrase("label.payment"), orAbsent(yesNo)
	}
	if words := p.Spec().diffWords; words != nil {
		if label, read := words(path); !label.IsZero() {
			return label, read
		}
	}
	return verbatim(path), plain
}

// billingDiffWords names the members of CreateInstance's Parameter, a
// JSON object carried in a string, which the diff reads member by member.
func billingDiffWords(path string) (Phrase, func(string) Phrase) {
	if member, ok := strings.CutPrefix(path, "Parameter."); ok {
		if label, unit, ok := cfwParam(member); ok {
			return label, func(v string) Phrase { return unitValue(unit, v) }
		}
	}
	return Phrase{}, nil
}

// wafDiffWords names the fields of a WAF Goods entry by its line number.
func wafDiffWords(path string) (Phrase, func(string) Phrase) {
	m := goodsIndex.FindStringSubmatch(path)
	if m == nil {
		return Phrase{}, nil
	}
	n, _ := strconv.Atoi(m[1])
	label, read := wafFieldWords(strings.TrimPrefix(path, m[0]))
	if label.IsZero() {
		return Phrase{}, nil
	}
	return with(phrase("label.line", "n", strconv.Itoa(n+1)), "label", label), read
}

func wafFieldWords(rest string) (Phrase, func(string) Phrase) {
	plain := orAbsent(verbatim)
	switch rest {
	case "GoodsNum":
		return phrase("label.quantity"), plain
	case "GoodsCategoryId":
		return phrase("label.category"), orAbsent(func(v string) Phrase {
			_, what, _, _, _ := wafLine(map[string]any{"GoodsCategoryId": v})
			return what
		})
	case "RegionId":
		return phrase("label.waf_area"), orAbsent(func(v string) Phrase { return known("waf.area."+v, v) })
	case "GoodsDetail.TimeSpan":
		return phrase("label.term"), plain
	case "GoodsDetail.InstanceId":
		return phrase("label.instance"), plain
	case "GoodsDetail.ResourceId":
		return phrase("label.resource"), plain
	case "GoodsDetail.InstanceName":
		return phrase("label.instance_name"), plain
	case "GoodsDetail.AutoRenewFlag":
		return phrase("label.renewal"), orAbsent(func(v string) Phrase {
			if v == "1" {
				return phrase("renew.auto")
			}
			return phrase("renew.manual")
		})
	case "GoodsDetail.MicroVersion":
		return phrase("label.deployment"), orAbsent(func(v string) Phrase { return known("waf."+v, v) })
	}
	if i, ok := strings.CutPrefix(rest, "GoodsDetail.LabelCounts["); ok {
		return phrase("label.add_on", "code", "#"+strings.TrimSuffix(i, "]")), plain
	}
	return Phrase{}, plain
}

// orAbsent reads "" as "(not set)" and anything else with f.
func orAbsent(f func(string) Phrase) func(string) Phrase {
	return func(v string) Phrase {
		if v == "" {
			return phrase("absent")
		}
		return f(v)
	}
}
