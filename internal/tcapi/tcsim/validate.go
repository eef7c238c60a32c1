package tcsim

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The sandbox's request rules, written from the documents (the seeds and
// tencentcloud-api.md), independently of tcapi's validators: the sandbox is
// the second check of what the client sends, so a rule the client loses
// (or never had) is still enforced here as the real service would. Where
// the documents say nothing (the length of an id, control characters,
// Dealdesk's own ceilings), the sandbox says nothing either, apart from two
// ceilings of its own so no call makes it count or charge absurd amounts:
// maxSandboxQuantity items and a three-year term.
//
// Each check answers the first problem, as the service does, with the
// field's path before a colon: "Goods[0].GoodsDetail.TimeUnit: ...".

// maxSandboxQuantity is the most the sandbox counts or charges for in one line.
const maxSandboxQuantity = 100

// maxTerm is the sandbox's three-year ceiling per unit.
var maxTerm = map[string]int64{"d": 3 * 365, "m": 36, "y": 3, "p": 1}

// timeLayout is how billing and WAF write times ("2023-02-28 17:38:59").
const timeLayout = "2006-01-02 15:04:05"

func invalid(path, format string, args ...any) *apiError {
	return fail(codeInvalidParameterValue, "%s: %s", path, fmt.Sprintf(format, args...))
}

func missing(path, why string) *apiError {
	return fail(codeMissingParameter, "%s: %s", path, why)
}

var (
	// regionShape: area-city[-suffix] in lower case (ap-guangzhou, ap-shanghai-fsi).
	regionShape = regexp.MustCompile(`^[a-z]+-[a-z]+(-[a-z]+)?$`)
	zoneNumber  = regexp.MustCompile(`^-[1-9][0-9]?$`)
	aliasShape  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// term checks TimeSpan and TimeUnit under prefix: the unit one of units,
// the span at least 1 and within three years of it (months when no unit is
// given).
func term(prefix string, span *int64, unit *string, units ...string) *apiError {
	u := "m"
	if unit != nil {
		if !slices.Contains(units, *unit) {
			return invalid(prefix+"TimeUnit", "must be one of %s", strings.Join(units, ", "))
		}
		u = *unit
	}
	if span != nil && (*span < 1 || *span > maxTerm[u]) {
		return invalid(prefix+"TimeSpan", "must be from 1 to %d", maxTerm[u])
	}
	return nil
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7e || s[i] < 0x20 {
			return false
		}
	}
	return true
}
