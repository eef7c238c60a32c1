package tcsim

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"dealdesk/internal/tcapi"
)

// documented holds the sandbox's own copy of the bounds the three seed
// documents state, written from the documents and not from tcapi's rules.
// processBody applies it after tcapi.ParseRequest, so if the client's rules
// were ever loosened (or a bound dropped by mistake), the sandbox would
// still answer as the real service does instead of buying. tcapi's rules
// are stricter (Dealdesk adds its own bounds), so for a request that passed
// ParseRequest this finds nothing; bounds_test.go calls it directly.
//
// It also keeps two ceilings of the sandbox's own: no call makes it count
// or charge beyond maxSandboxQuantity items or a three-year term, whatever
// the rules in front of it say.
func documented(req tcapi.Request) *apiError { //nolint:gocyclo // one table of the seed documents' bounds; branch simrecon replaces this file (tcsim/validate.go)
	invalid := func(path, msg string) *apiError {
		return fail(tcapi.CodeInvalidParameterValue, "%s: %s", path, msg)
	}
	switch r := req.(type) {
	case *tcapi.GenerateDealsAndPayNewRequest:
		// "This API only supports: ap-guangzhou, ap-seoul, ap-singapore."
		if !slices.Contains([]string{"ap-guangzhou", "ap-seoul", "ap-singapore"}, r.Region) {
			return fail(tcapi.CodeUnsupportedRegion, "Region: GenerateDealsAndPayNew is offered only in ap-guangzhou, ap-seoul and ap-singapore")
		}
		if len(r.Goods) == 0 {
			return fail(tcapi.CodeMissingParameter, "Goods: is required")
		}
		for i, g := range r.Goods {
			p := fmt.Sprintf("Goods[%d].", i)
			if g.GoodsNum == nil || g.GoodsDetail == nil {
				return fail(tcapi.CodeMissingParameter, "%sGoodsNum and %[1]sGoodsDetail are required", p)
			}
			if n := *g.GoodsNum; n < 1 || n > maxSandboxQuantity {
				return invalid(p+"GoodsNum", fmt.Sprintf("must be from 1 to %d", maxSandboxQuantity))
			}
			// RegionId 1 or 9, AutoRenewFlag 1 or 0, TimeUnit d, m or y.
			if v := g.RegionId; v != nil && *v != 1 && *v != 9 {
				return invalid(p+"RegionId", "must be 1 or 9")
			}
			d := g.GoodsDetail
			if v := d.AutoRenewFlag; v != nil && *v != 0 && *v != 1 {
				return invalid(p+"GoodsDetail.AutoRenewFlag", "must be 1 or 0")
			}
			if e := term(p+"GoodsDetail.", d.TimeSpan, d.TimeUnit, "d", "m", "y"); e != nil {
				return e
			}
		}
	case *tcapi.CreateInstanceRequest:
		// "no more than 64 ASCII characters"
		if t := tcapi.Deref(r.ClientToken); t == "" || len(t) > 64 || !ascii(t) {
			return invalid("ClientToken", "must be 1 to 64 ASCII characters")
		}
		for _, p := range []struct {
			name string
			v    *string
		}{{"ProductCode", r.ProductCode}, {"SubProductCode", r.SubProductCode}, {"RegionCode", r.RegionCode}, {"ZoneCode", r.ZoneCode}, {"Parameter", r.Parameter}} {
			if tcapi.Deref(p.v) == "" {
				return fail(tcapi.CodeMissingParameter, "%s: is required", p.name)
			}
		}
		// "Available values: PrePay"
		if tcapi.Deref(r.PayMode) != "PrePay" {
			return invalid("PayMode", "must be PrePay")
		}
		if v := r.Quantity; v != nil && (*v < 1 || *v > maxSandboxQuantity) {
			return fail(tcapi.CodeNumLimitError, "Quantity: the quantity exceeds the maximum limit")
		}
		// "Purchase duration, max number is 36"; "valid values: m: month, y: year"
		if v := r.Period; v != nil && (*v < 1 || *v > 36) {
			return invalid("Period", "must be from 1 to 36")
		}
		if v := r.PeriodUnit; v != nil && *v != "m" && *v != "y" {
			return invalid("PeriodUnit", "must be m or y")
		}
		if v := r.RenewFlag; v != nil && !slices.Contains([]string{"NOTIFY_AND_MANUAL_RENEW", "NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"}, *v) {
			return invalid("RenewFlag", "is not a documented value")
		}
	case *tcapi.CreateBillDealRequest:
		// "可取[purchase,renew,modify]"; "可取[tcb-baas,tcb-promotion,tcb-package]"
		if !slices.Contains([]string{"purchase", "renew", "modify"}, tcapi.Deref(r.DealType)) {
			return invalid("DealType", "must be purchase, renew or modify")
		}
		if !slices.Contains([]string{"tcb-baas", "tcb-promotion", "tcb-package"}, tcapi.Deref(r.ProductType)) {
			return invalid("ProductType", "must be tcb-baas, tcb-promotion or tcb-package")
		}
		if tcapi.Deref(r.PackageId) == "" {
			return fail(tcapi.CodeMissingParameter, "PackageId: is required")
		}
		// "可选d(天),m(月),y(年),p(一次性)"
		if e := term("", r.TimeSpan, r.TimeUnit, "d", "m", "y", "p"); e != nil {
			return e
		}
		// "来源可选[qcloud,miniapp]"
		if v := r.Source; v != nil && *v != "qcloud" && *v != "miniapp" {
			return invalid("Source", "must be qcloud or miniapp")
		}
		// Alias: [a-z0-9-], at most 20 characters (tencentcloud-api.md).
		if v := r.Alias; v != nil && (*v == "" || utf8.RuneCountInString(*v) > 20) {
			return invalid("Alias", "must be 1 to 20 characters")
		}
		// "可取值:flexdb, cos, cdn, scf"
		for _, t := range r.ResourceTypes {
			if !slices.Contains([]string{"flexdb", "cos", "cdn", "scf"}, t) {
				return invalid("ResourceTypes", "must be flexdb, cos, cdn or scf")
			}
		}
	}
	return nil
}

// maxSandboxQuantity is the most the sandbox counts or charges for in one
// line, the same ceiling as tcapi.MaxQuantity.
const maxSandboxQuantity = 100

// maxTerm is the sandbox's three-year ceiling per unit.
var maxTerm = map[string]int64{"d": 3 * 365, "m": 36, "y": 3, "p": 1}

// term checks TimeSpan and TimeUnit under prefix: the unit one of the
// documented values, the span within three years of it (months when no
// unit is given).
func term(prefix string, span *int64, unit *string, units ...string) *apiError {
	u := "m"
	if unit != nil {
		if !slices.Contains(units, *unit) {
			return fail(tcapi.CodeInvalidParameterValue, "%sTimeUnit: is not a documented unit", prefix)
		}
		u = *unit
	}
	if span != nil && (*span < 1 || *span > maxTerm[u]) {
		return fail(tcapi.CodeInvalidParameterValue, "%sTimeSpan: must be from 1 to %d", prefix, maxTerm[u])
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
