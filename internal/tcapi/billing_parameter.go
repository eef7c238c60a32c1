package tcapi

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// billingParameter checks Billing CreateInstance's Parameter, a JSON
// object sent as a string. The document says only "product detailed
// information"; what is known of its members comes from the seed's Cloud
// Workload Protection example and tencentcloud-api.md's Cloud Firewall
// notes (pid, productCode, subProductCode, goodsNum, timeSpan, timeUnit and
// sv_* counts). Members are checked where they appear; others pass, as the
// product decides what it reads, but every string in the object must be
// text (ValidText). Paths read "Parameter.goodsNum".
//
// Counts may be JSON numbers or strings of digits: the seed writes
// "sv_yunjing_vas_la":"50".
func (c *checker) billingParameter(s, productCode, subProductCode string) {
	if len(s) > MaxJSONParamLen {
		c.invalid("Parameter", "json_at_most", "max", num(MaxJSONParamLen), "got", num(len(s)))
		return
	}
	m, ok := decodeJSONObject(s)
	if !ok {
		c.invalid("Parameter", "parameter_object")
		return
	}
	if !jsonTexts(m) {
		c.invalid("Parameter", "json_text_chars")
		return
	}
	p := func(k string) string { return "Parameter." + k }
	if v, ok := m["pid"]; ok {
		if n, ok := jsonCount(v); !ok || n < 1 {
			c.invalid(p("pid"), "pid")
		}
	}
	sameCode := func(key, outer, outerName string) {
		v, ok := m[key]
		if !ok {
			return
		}
		if s, isStr := v.(string); !isStr || (outer != "" && s != outer) {
			c.invalid(p(key), "same_as", "outer", outerName, "value", clip(outer))
		}
	}
	sameCode("productCode", productCode, "ProductCode")
	sameCode("subProductCode", subProductCode, "SubProductCode")
	if v, ok := m["goodsNum"]; ok {
		n, ok := jsonCount(v)
		switch {
		case !ok || n < 1:
			c.invalid(p("goodsNum"), "whole_between", "min", "1", "max", num(MaxQuantity))
		case n > MaxQuantity:
			c.add(p("goodsNum"), CodeNumLimitError, "at_most", "max", num(MaxQuantity), "got", num(n))
		}
	}
	unit := "m"
	if v, ok := m["timeUnit"]; ok {
		u, _ := v.(string)
		if u != "m" && u != "y" {
			c.invalid(p("timeUnit"), "param_time_unit")
		} else {
			unit = u
		}
	}
	if v, ok := m["timeSpan"]; ok {
		n, ok := jsonCount(v)
		if !ok {
			c.invalid(p("timeSpan"), "whole_of", "unit", unit)
		} else {
			c.timeSpan(p("timeSpan"), &n, unit)
		}
	}
	for _, k := range sortedKeys(m) {
		if !strings.HasPrefix(k, "sv_") {
			continue
		}
		if n, ok := jsonCount(m[k]); !ok || n < 0 || n > MaxSpecCount {
			c.invalid(p(k), "whole_between", "min", "0", "max", num(MaxSpecCount))
		}
	}
}

// decodeJSONObject reads s as exactly one JSON object, numbers kept as
// written.
func decodeJSONObject(s string) (map[string]any, bool) {
	v, ok := decodeJSONValue(s)
	m, isObj := v.(map[string]any)
	return m, ok && isObj && m != nil
}

func decodeJSONValue(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	return v, true
}

// jsonTexts reports whether every string in v, member names included, is
// text (ValidText). A \u0000 escape inside a JSON string parameter is a
// control character as surely as a raw one.
func jsonTexts(v any) bool {
	switch x := v.(type) {
	case string:
		return ValidText(x)
	case []any:
		for _, e := range x {
			if !jsonTexts(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range x {
			if !ValidText(k) || !jsonTexts(e) {
				return false
			}
		}
	}
	return true
}

// jsonCount reads a whole number written as a JSON number or as a string
// of decimal digits.
func jsonCount(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		if x == "" || strings.TrimLeft(x, "0123456789") != "" {
			return 0, false
		}
		s = x
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// jsonString checks a JSON string parameter such as TCB's Extension: one JSON value of at most
// MaxJSONParamLen bytes whose strings are all text.
func (c *checker) jsonString(path string, v *string) {
	if v == nil {
		return
	}
	if len(*v) > MaxJSONParamLen {
		c.invalid(path, "json_at_most", "max", num(MaxJSONParamLen), "got", num(len(*v)))
		return
	}
	val, ok := decodeJSONValue(*v)
	switch {
	case !ok:
		c.invalid(path, "json_text")
	case !jsonTexts(val):
		c.invalid(path, "json_text_chars")
	}
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
