package tcapi

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// CatalogPrefix is the prefix of the field messages' keys in the i18n
// catalogs (internal/i18n/locales/zh-CN.toml holds their Chinese).
const CatalogPrefix = "tcapi.field."

// Catalog is the English of every field message by key, with {name}s for
// its arguments. It is the API's own wording: the sandbox answers it
// unchanged, and the console registers it with i18n.AddEnglish under
// CatalogPrefix so that forms show a FieldError in the reader's language.
var Catalog = map[string]string{ //nolint:gosec // G101: messages; "client_token" names a parameter, holds no secret
	"required":                 "is required",
	"one_of":                   "must be {choices}, not {value}",
	"at_least":                 "must be at least {min}, not {got}",
	"at_most":                  "must be at most {max}, not {got}",
	"between":                  "must be from {min} to {max}, not {got}",
	"region":                   "must be a Tencent Cloud region such as ap-guangzhou (a known one, or area-city in lower case), not {value}",
	"zone_of_region":           "must be a zone of {region}, such as {region}-1, not {value}",
	"zone":                     "must be a Tencent Cloud zone such as ap-guangzhou-1, not {value}",
	"period_at_most":           "must be at most {max} for TimeUnit {unit} (three years at most), not {got}",
	"chars_at_most":            "must be at most {max} characters, not {got}",
	"id":                       "must be an id of 1 to {max} printable ASCII characters without spaces",
	"code":                     "must be a code of 1 to {max} characters of a-z, A-Z, 0-9, _, . and -",
	"text":                     "must be text without control characters (and valid UTF-8)",
	"client_token":             "must be 1 to {max} printable ASCII characters without spaces",
	"end_before_start":         "must not be before StartTime",
	"billing_time":             "must be a time written like 2025-12-01 00:00:00, not {value}",
	"tcb_time_unit":            "must be m (months) to buy or renew a tcb-baas plan, not {value}",
	"tcb_resource_id":          "is required to renew or modify: it names the environment",
	"tcb_new_only":             "is only for a new tcb-baas purchase",
	"tcb_alias":                "must be 1 to {max} characters of a-z, 0-9 and -, not starting or ending with - and without --, not {value}",
	"tcb_env_id":               "is required for a {product}: it names the environment",
	"tcb_modify_package":       "is required to modify: it names the plan to change to",
	"repeats":                  "repeats {value}",
	"tags_at_most":             "must hold at most {max} tags, not {got}",
	"tag_key_repeated":         "repeats a key: a resource has one value per tag key",
	"json_at_most":             "must be at most {max} bytes of JSON, not {got}",
	"parameter_object":         `must be a JSON object with the product's details, such as {"pid":1002147,...}`,
	"json_text_chars":          "must hold only text without control characters (and valid UTF-8)",
	"json_text":                "must be JSON text, such as {}",
	"pid":                      "must be a product id (a positive integer)",
	"same_as":                  "must be the same as {outer} ({value}): the order would buy something else than it names",
	"whole_between":            "must be a whole number from {min} to {max}",
	"param_time_unit":          "must be m (months) or y (years), as PeriodUnit",
	"whole_of":                 "must be a whole number of {unit}",
	"waf_region":               "GenerateDealsAndPayNew is offered only in {regions}, not in {value}",
	"lines_at_most":            "must hold at most {max} lines, not {got}",
	"waf_category":             "{got} is not a WAF goods category (see the product table)",
	"waf_region_id":            "must be 1 (Chinese mainland) or 9 (outside the Chinese mainland), not {got}",
	"auto_renew_flag":          "must be 1 (renew automatically) or 0 (do not), not {got}",
	"label_counts":             "must have one count per LabelTypes entry ({types} types, {counts} counts)",
	"labels_at_most":           "must hold at most {max} labels, not {got}",
	"waf_label":                "{value} is not a billing label of {code} (allowed: {allowed})",
	"waf_deadline":             "must be a time written like 2023-02-28 17:38:59, not {value}",
	"waf_deadline_required":    "is required for a change of configuration",
	"waf_instance_required":    "is required for an add-on: it names the instance the add-on is for",
	"waf_sub_product":          "{value} is not a WAF sub-product code",
	"waf_sub_product_match":    "must be {want} to match the goods category, not {got}",
	"waf_sub_product_required": "is required for a new purchase or a renewal",
	"waf_pid":                  "{got} is not a WAF product id",
	"waf_pid_match":            "must be {want} to go with {code}, not {got}",
	"waf_real_region_min":      "must be a WAF region code (1 or more), not {got}",
	"waf_real_region_max":      "must be a WAF region code (at most {max}), not {got}",
	"waf_real_region":          "{got} is not a SaaS WAF region for RegionId {region} (allowed: {allowed})",
	"waf_micro_version":        "must be {want} for {code}, not {got}",
	"body_object":              "the request body must be a JSON object",
	"body_utf8":                "the request body must be UTF-8",
	"body_one_object":          "the request body must hold one JSON object and nothing after it",
	"body_unreadable":          "the request body could not be read: {error}",
	"body_json":                "the request body is not valid JSON",
	"type_object":              "must be an object",
	"type_array":               "must be an array",
	"type_string":              "must be a string",
	"type_integer":             "must be an integer",
	"type_integer64":           "must be an integer that fits in 64 bits",
	"type_bool":                "must be true or false",
	"unknown_parameter":        "is not a parameter of this action",
	"repeated":                 "is given more than once",
	"unknown_type":             "has a type the decoder does not know",
}

// fieldError is the problem key names, its English filled from pairs
// (name, value, ...). A key missing from Catalog is a programming mistake
// that a test catches; it still reads as the key rather than as nothing.
func fieldError(path, code, key string, pairs ...string) FieldError {
	var args map[string]string
	if len(pairs) > 0 {
		args = make(map[string]string, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			args[pairs[i]] = pairs[i+1]
		}
	}
	text, ok := Catalog[key]
	if !ok {
		text = key
	}
	if len(args) > 0 {
		r := make([]string, 0, 2*len(args))
		for _, k := range slices.Sorted(maps.Keys(args)) {
			r = append(r, "{"+k+"}", args[k])
		}
		text = strings.NewReplacer(r...).Replace(text)
	}
	return FieldError{Path: path, Code: code, Message: text, Key: key, Args: args}
}

// quote is a value a person typed, clipped and quoted as Go quotes it
// (what the messages' %q wrote before they were keyed).
func quote(s string) string { return strconv.Quote(clip(s)) }

// num is a whole number as the messages write it.
func num[T ~int | ~int64 | ~int32](n T) string { return strconv.FormatInt(int64(n), 10) }
