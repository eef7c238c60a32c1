package tcapi

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Upper bounds on parameters. The seed documents give only a few (Period
// 1..36, ClientToken 64 ASCII characters, Alias 20 characters); for every
// other parameter Dealdesk states its own bound here, with the reason, so
// that no value is sent that a person could not have meant. A bound that
// refused one of the documents' examples would be wrong (seeds_test.go).
const (
	// MaxQuantity bounds WAF GoodsNum, Billing Quantity and the goodsNum
	// inside Billing's Parameter. No document gives a ceiling (Billing
	// documents FailedOperation.NumLimitError, "the quantity exceeds the
	// maximum limit", without saying what it is). One approved line buys
	// one product for one team; 100 of it is already more than any order
	// Dealdesk has seen, and an overflowed or pasted number stops here.
	MaxQuantity = 100
	// MaxLabelCount bounds each WAF LabelCounts entry (domain packs, QPS
	// packs). Undocumented; 10,000 packs is far beyond any one instance.
	MaxLabelCount = 10_000
	// MaxSpecCount bounds the sv_* counts inside Billing's Parameter
	// (bandwidth in Mbps, log storage in GB, rule counts). Undocumented;
	// the largest Cloud Firewall spec the Terraform example uses is in the
	// thousands, so 1,000,000 leaves room and still refuses an overflow.
	MaxSpecCount = 1_000_000
	// MaxProjectID bounds Billing ProjectId (documented only as an Integer,
	// default 0). Project ids are small per-account numbers; the 32-bit
	// unsigned range is a generous ceiling (an assumption, not documented).
	MaxProjectID = 1<<32 - 1
	// MaxRealRegion bounds WAF RealRegion. The documented codes are all
	// below 100 (tencentcloud-api.md's table); 999 leaves room for new ones.
	MaxRealRegion = 999
	// MaxDealsPage bounds DescribeDealsByCond Offset, a page number: 100,000
	// pages of at most 1,000 orders is more than any account holds.
	MaxDealsPage = 100_000

	// MaxGoods bounds the lines of one WAF order: undocumented; an order a
	// person approves line by line stays short.
	MaxGoods = 20
	// MaxLabels bounds WAF LabelTypes (and so LabelCounts): WAF sells five
	// kinds of label per flavour; 20 leaves room.
	MaxLabels = 20
	// MaxEnvTags and the tag lengths are Tencent Cloud's tag limits (the
	// tag service: at most 50 tags per resource, keys up to 127 and values
	// up to 255 characters); the TCB document itself gives none.
	MaxEnvTags     = 50
	MaxTagKeyLen   = 127
	MaxTagValueLen = 255

	// MaxNameLen bounds WAF InstanceName, in characters. Undocumented;
	// Tencent Cloud names are 60 to 128 characters in the products that
	// document one (CVM: 128), so the most generous is used.
	MaxNameLen = 128
	// MaxIDLen bounds ids (InstanceId, ResourceId, EnvId, OrderId,
	// BigDealId). Undocumented; Tencent Cloud ids are 10 to 40 ASCII
	// characters ("cloud-0g6kw62kbda53cb6", "2025120100000001").
	MaxIDLen = 64
	// MaxCodeLen bounds product, package and label codes (ProductCode,
	// SubProductCode, PackageId, ModifyPackageId, LabelTypes): the longest
	// documented one, "sv_cloudfirewall_extended_ibtesps", is 33.
	MaxCodeLen = 64
	// MaxJSONParamLen bounds the JSON strings Billing Parameter and TCB
	// Extension, in bytes. Undocumented; a Cloud Firewall Parameter with
	// every sv_* key is about 900 bytes.
	MaxJSONParamLen = 4096
)

// maxTimeSpan bounds a term (WAF TimeSpan, TCB TimeSpan, the timeSpan in
// Billing's Parameter) per unit. Billing's documented Period limit, 36
// months, is the only term bound in the documents, so every unit gets the
// same three years: 36 months, 3 years, 1,095 days. "p" (once) is a single
// purchase, so its span is 1.
var maxTimeSpan = map[string]int64{"m": 36, "y": 3, "d": 3 * 365, "p": 1}

// timeSpan checks a term against its unit's bound. An absent or unknown
// unit is bounded as months: Billing's default unit, and the unit itself
// gets its own error.
func (c *checker) timeSpan(path string, v *int64, unit string) {
	if v == nil {
		return
	}
	max, ok := maxTimeSpan[unit]
	if !ok {
		unit, max = "m", maxTimeSpan["m"]
	}
	switch {
	case *v < 1:
		c.invalid(path, "at_least", "min", "1", "got", num(*v))
	case *v > max:
		c.invalid(path, "period_at_most", "max", num(max), "unit", unit, "got", num(*v))
	}
}

// atMost checks an optional integer's upper bound with the given code.
func (c *checker) atMost(path, code string, v *int64, max int64) {
	if v != nil && *v > max {
		c.add(path, code, "at_most", "max", num(max), "got", num(*v))
	}
}

// maxLen checks an optional string's length in characters.
func (c *checker) maxLen(path string, v *string, max int) {
	if v != nil && utf8.RuneCountInString(*v) > max {
		c.invalid(path, "chars_at_most", "max", num(max), "got", num(utf8.RuneCountInString(*v)))
	}
}

// ident checks an optional id: 1 to MaxIDLen printable ASCII characters
// without spaces. Ids are matched byte for byte by the service; anything
// else in one is a paste mistake.
func (c *checker) ident(path string, v *string) {
	if v == nil || *v == "" {
		return
	}
	if len(*v) > MaxIDLen || !printableASCII(*v) {
		c.invalid(path, "id", "max", num(MaxIDLen))
	}
}

// code checks an optional product, package or label code: 1 to MaxCodeLen
// characters of a-z, A-Z, 0-9, _, . and -, the alphabet of every
// documented code.
func (c *checker) code(path string, v *string) {
	if v == nil || *v == "" {
		return
	}
	if len(*v) > MaxCodeLen || !isCode(*v) {
		c.invalid(path, "code", "max", num(MaxCodeLen))
	}
}

const codeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

func isCode(s string) bool {
	return s != "" && strings.Trim(s, codeChars) == ""
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}

// ValidText reports whether s may travel in a string parameter: valid
// UTF-8 without control characters (C0, DEL, C1), line or paragraph
// separators, or bidirectional formatting characters. The last two are not
// controls to Unicode, but they make a name read differently on the
// approval page than it does on the invoice.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || isBidiOrSeparator(r) {
			return false
		}
	}
	return true
}

func isBidiOrSeparator(r rune) bool {
	switch {
	case r == 0x061C, r == 0x200E, r == 0x200F, r == 0x2028, r == 0x2029:
		return true
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069:
		return true
	}
	return false
}

// texts checks every string parameter of a request, however deep, with
// ValidText, so a string field added later is covered without a new rule.
// Paths are the documented names with zero-based indexes.
func (c *checker) texts(req any) {
	walkTexts(reflect.ValueOf(req), "", func(path string) {
		c.invalid(path, "text")
	})
}

func walkTexts(v reflect.Value, path string, bad func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, bad)
		}
	case reflect.String:
		if !ValidText(v.String()) {
			bad(path)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkTexts(v.Index(i), fmt.Sprintf("%s[%d]", path, i), bad)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if path != "" {
				name = path + "." + name
			}
			walkTexts(v.Field(i), name, bad)
		}
	}
}
