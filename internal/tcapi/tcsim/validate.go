package tcsim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
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

// validate checks a decoded request; region is X-TC-Region.
func validate(req any, region string) *apiError {
	switch r := req.(type) {
	case *wafRequest:
		return validateWAF(r, region)
	case *createInstanceRequest:
		return validateCreateInstance(r)
	case *renewInstanceRequest:
		return validateRenewInstance(r)
	case *billDealRequest:
		return validateBillDeal(r)
	case *dealsRequest:
		return validateDeals(r)
	}
	return nil
}

// validateWAF: "Region ... This API only supports: ap-guangzhou, ap-seoul,
// ap-singapore"; "Goods.N | Yes"; GoodNews and GoodsDetailNew as documented,
// with the product table's rows kept together.
func validateWAF(r *wafRequest, region string) *apiError {
	switch {
	case region == "":
		return missing("Region", "is required for GenerateDealsAndPayNew")
	case !slices.Contains([]string{"ap-guangzhou", "ap-seoul", "ap-singapore"}, region):
		return fail(codeUnsupportedRegion, "Region: GenerateDealsAndPayNew is offered only in ap-guangzhou, ap-seoul and ap-singapore")
	case len(r.Goods) == 0:
		return missing("Goods", "is required")
	}
	for i, g := range r.Goods {
		if e := validateWAFLine(fmt.Sprintf("Goods[%d]", i), g); e != nil {
			return e
		}
	}
	return nil
}

func validateWAFLine(p string, g wafGoods) *apiError {
	var row *wafRow
	kind := ""
	if g.GoodsCategoryId != nil {
		r, k, ok := wafByCategory(*g.GoodsCategoryId)
		if !ok {
			return invalid(p+".GoodsCategoryId", "%d is not a WAF goods category", *g.GoodsCategoryId)
		}
		row, kind = &r, k
	}
	switch {
	case g.GoodsNum == nil:
		return missing(p+".GoodsNum", "is required")
	case *g.GoodsNum < 1 || *g.GoodsNum > maxSandboxQuantity:
		return invalid(p+".GoodsNum", "must be from 1 to %d", maxSandboxQuantity)
	case g.GoodsDetail == nil:
		return missing(p+".GoodsDetail", "is required")
	}
	d := g.GoodsDetail
	dp := p + ".GoodsDetail."
	if e := term(dp, d.TimeSpan, d.TimeUnit, "d", "m", "y"); e != nil {
		return e
	}
	row, e := wafLineProduct(dp, g, d, row, kind)
	if e != nil {
		return e
	}
	return wafLineDetail(p, dp, g, d, row, kind)
}

// wafLineProduct holds SubProductCode and Pid to the category's row (or
// finds the row from them when no category is given).
func wafLineProduct(dp string, g wafGoods, d *wafDetail, row *wafRow, kind string) (*wafRow, *apiError) {
	switch {
	case d.SubProductCode != nil:
		sp, ok := wafBySubProduct(*d.SubProductCode)
		switch {
		case !ok:
			return nil, invalid(dp+"SubProductCode", "is not a WAF sub-product code")
		case row != nil && sp.subProduct != row.subProduct:
			return nil, invalid(dp+"SubProductCode", "must be %s for goods category %d", row.subProduct, *g.GoodsCategoryId)
		case row == nil:
			row = &sp
		}
	case row != nil && (kind == wafBuy || kind == wafRenew):
		// "SubProductCode ... required for new purchase and renewal"
		return nil, missing(dp+"SubProductCode", "is required for a new purchase or a renewal")
	}
	if d.Pid != nil {
		pp, ok := wafByPid(*d.Pid)
		switch {
		case !ok:
			return nil, invalid(dp+"Pid", "%d is not a WAF product id", *d.Pid)
		case row != nil && pp.pid != row.pid:
			return nil, invalid(dp+"Pid", "must be %d for %s", row.pid, row.subProduct)
		case row == nil:
			row = &pp
		}
	}
	return row, nil
}

// wafLineDetail checks the rest of a line once its product is known.
func wafLineDetail(p, dp string, g wafGoods, d *wafDetail, row *wafRow, kind string) *apiError {
	if v := d.AutoRenewFlag; v != nil && *v != 0 && *v != 1 {
		return invalid(dp+"AutoRenewFlag", "must be 1 or 0")
	}
	if v := g.RegionId; v != nil && *v != 1 && *v != 9 {
		return invalid(p+".RegionId", "must be 1 (Chinese mainland) or 9 (outside it)")
	}
	if v := d.RealRegion; v != nil {
		saas := (row != nil && row.microVersion == "saas-waf") || deref(d.MicroVersion) == "saas-waf"
		allowed, known := wafRealRegions[deref(g.RegionId)]
		switch {
		case *v < 1:
			return invalid(dp+"RealRegion", "must be a WAF region code")
		case saas && known && !slices.Contains(allowed, *v):
			return invalid(dp+"RealRegion", "%d is not a SaaS WAF region of RegionId %d", *v, deref(g.RegionId))
		}
	}
	if e := wafLabels(dp, d, row); e != nil {
		return e
	}
	switch {
	case d.CurDeadline != nil:
		if _, err := time.Parse(timeLayout, *d.CurDeadline); err != nil {
			return invalid(dp+"CurDeadline", "must be a time written like 2023-02-28 17:38:59")
		}
	case kind == wafModify:
		return missing(dp+"CurDeadline", "is required for a change of configuration")
	}
	if row != nil && row.addOn() && deref(d.InstanceId) == "" {
		return missing(dp+"InstanceId", "is required for an add-on: it names the instance")
	}
	if v := d.MicroVersion; v != nil {
		switch {
		case *v != "clb-waf" && *v != "saas-waf":
			return invalid(dp+"MicroVersion", "must be clb-waf or saas-waf")
		case row != nil && *v != row.microVersion:
			return invalid(dp+"MicroVersion", "must be %s for %s", row.microVersion, row.subProduct)
		}
	}
	return nil
}

// wafLabels: "LabelCounts ... paired one-to-one with LabelTypes", each
// label one the row documents.
func wafLabels(dp string, d *wafDetail, row *wafRow) *apiError {
	// "LabelCounts ... paired one-to-one with LabelTypes"
	if len(d.LabelTypes) != len(d.LabelCounts) {
		return invalid(dp+"LabelCounts", "must hold one count per label type")
	}
	for i, t := range d.LabelTypes {
		if t == "" {
			return missing(fmt.Sprintf("%sLabelTypes[%d]", dp, i), "must name a label")
		}
		if allowed := rowLabels(row); allowed != nil && !slices.Contains(allowed, t) {
			return invalid(fmt.Sprintf("%sLabelTypes[%d]", dp, i), "is not a billing label of %s (%s)", row.subProduct, strings.Join(allowed, ", "))
		}
	}
	for i, n := range d.LabelCounts {
		if n < 1 {
			return invalid(fmt.Sprintf("%sLabelCounts[%d]", dp, i), "must be at least 1")
		}
	}
	return nil
}

func rowLabels(r *wafRow) []string {
	if r == nil {
		return nil
	}
	return r.labels()
}

// validateCreateInstance: ClientToken "at most 64 ASCII characters";
// ProductCode, SubProductCode, RegionCode, ZoneCode, PayMode ("PrePay") and
// Parameter (a JSON string of product details) required; Quantity (the
// business error FailedOperation.NumLimitError past the maximum), ProjectId,
// Period 1..36, PeriodUnit m or y, RenewFlag's three values.
func validateCreateInstance(r *createInstanceRequest) *apiError {
	if t := deref(r.ClientToken); t == "" {
		return missing("ClientToken", "is required")
	} else if len(t) > 64 || !ascii(t) {
		return invalid("ClientToken", "must be 1 to 64 ASCII characters")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"ProductCode", r.ProductCode}, {"SubProductCode", r.SubProductCode}, {"RegionCode", r.RegionCode}, {"ZoneCode", r.ZoneCode}, {"PayMode", r.PayMode}, {"Parameter", r.Parameter}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
	}
	if !regionShape.MatchString(*r.RegionCode) {
		return invalid("RegionCode", "must be a region such as ap-guangzhou")
	}
	if rest, ok := strings.CutPrefix(*r.ZoneCode, *r.RegionCode); !ok || !zoneNumber.MatchString(rest) {
		return invalid("ZoneCode", "must be a zone of %s, such as %[1]s-1", *r.RegionCode)
	}
	if *r.PayMode != "PrePay" {
		return invalid("PayMode", "must be PrePay")
	}
	var param map[string]any
	if err := json.Unmarshal([]byte(*r.Parameter), &param); err != nil || param == nil {
		return invalid("Parameter", "must be a JSON object with the product's details")
	}
	for _, k := range []struct{ key, outer string }{{"productCode", *r.ProductCode}, {"subProductCode", *r.SubProductCode}} {
		if v, ok := param[k.key]; ok && v != k.outer {
			return invalid("Parameter."+k.key, "must name the same product as the request (%s)", k.outer)
		}
	}
	if v := r.Quantity; v != nil && *v < 1 {
		return invalid("Quantity", "must be at least 1")
	} else if v != nil && *v > maxSandboxQuantity {
		return fail(codeNumLimitError, "Quantity: the quantity exceeds the maximum limit")
	}
	if v := r.ProjectId; v != nil && *v < 0 {
		return invalid("ProjectId", "must not be negative")
	}
	if v := r.Period; v != nil && (*v < 1 || *v > 36) {
		return invalid("Period", "must be from 1 to 36")
	}
	if v := r.PeriodUnit; v != nil && *v != "m" && *v != "y" {
		return invalid("PeriodUnit", "must be m or y")
	}
	if v := r.RenewFlag; v != nil && !slices.Contains([]string{"NOTIFY_AND_MANUAL_RENEW", "NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"}, *v) {
		return invalid("RenewFlag", "must be NOTIFY_AND_MANUAL_RENEW, NOTIFY_AND_AUTO_RENEW or DISABLE_NOTIFY_AND_MANUAL_RENEW")
	}
	return nil
}

// validateRenewInstance: the same token as CreateInstance, the product's
// codes, the region and the instance to renew (nothing to renew without
// them), Period 1..36 and PeriodUnit m or y.
func validateRenewInstance(r *renewInstanceRequest) *apiError {
	if t := deref(r.ClientToken); t == "" {
		return missing("ClientToken", "is required")
	} else if len(t) > 64 || !ascii(t) {
		return invalid("ClientToken", "must be 1 to 64 ASCII characters")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"ProductCode", r.ProductCode}, {"SubProductCode", r.SubProductCode}, {"RegionCode", r.RegionCode}, {"InstanceId", r.InstanceId}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
	}
	if !regionShape.MatchString(*r.RegionCode) {
		return invalid("RegionCode", "must be a region such as ap-guangzhou")
	}
	if v := r.Period; v != nil && (*v < 1 || *v > 36) {
		return invalid("Period", "must be from 1 to 36")
	}
	if v := r.PeriodUnit; v != nil && *v != "m" && *v != "y" {
		return invalid("PeriodUnit", "must be m or y")
	}
	return nil
}

var (
	// regionShape: area-city[-suffix] in lower case (ap-guangzhou, ap-shanghai-fsi).
	regionShape = regexp.MustCompile(`^[a-z]+-[a-z]+(-[a-z]+)?$`)
	zoneNumber  = regexp.MustCompile(`^-[1-9][0-9]?$`)
	aliasShape  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// validateBillDeal follows CreateBillDeal's parameter table: DealType
// [purchase,renew,modify], ProductType [tcb-baas,tcb-promotion,tcb-package]
// and PackageId required; TimeUnit d, m, y, p (a plan bought or renewed by
// the month only); ResourceId to renew or modify; EnvId for a promotion or
// resource pack; ModifyPackageId to modify; Source [qcloud,miniapp]; Alias,
// ResourceTypes (flexdb, cos, cdn, scf) and EnvTags only "when DealType=purchase
// and ProductType=tcb-baas"; Extension JSON.
func validateBillDeal(r *billDealRequest) *apiError {
	switch {
	case deref(r.DealType) == "":
		return missing("DealType", "is required")
	case !slices.Contains([]string{"purchase", "renew", "modify"}, *r.DealType):
		return invalid("DealType", "must be purchase, renew or modify")
	case deref(r.ProductType) == "":
		return missing("ProductType", "is required")
	case !slices.Contains([]string{"tcb-baas", "tcb-promotion", "tcb-package"}, *r.ProductType):
		return invalid("ProductType", "must be tcb-baas, tcb-promotion or tcb-package")
	case deref(r.PackageId) == "":
		return missing("PackageId", "is required")
	}
	deal, product := *r.DealType, *r.ProductType
	newEnv := deal == "purchase" && product == "tcb-baas"
	if e := term("", r.TimeSpan, r.TimeUnit, "d", "m", "y", "p"); e != nil {
		return e
	}
	if u := deref(r.TimeUnit); product == "tcb-baas" && deal != "modify" && u != "" && u != "m" {
		return invalid("TimeUnit", "must be m to buy or renew an environment")
	}
	if (deal == "renew" || deal == "modify") && deref(r.ResourceId) == "" {
		return missing("ResourceId", "is required to renew or modify: it names the environment")
	}
	if v := r.Source; v != nil && *v != "qcloud" && *v != "miniapp" {
		return invalid("Source", "must be qcloud or miniapp")
	}
	if (product == "tcb-promotion" || product == "tcb-package") && deref(r.EnvId) == "" {
		return missing("EnvId", "is required for a "+product)
	}
	if deal == "modify" && deref(r.ModifyPackageId) == "" {
		return missing("ModifyPackageId", "is required to modify: it names the new plan")
	}
	if v := r.Extension; v != nil && !json.Valid([]byte(*v)) {
		return invalid("Extension", "must be JSON")
	}
	return validateNewEnv(r, newEnv)
}

// validateNewEnv checks what describes a new environment (Alias,
// ResourceTypes, EnvTags): only "when DealType=purchase and
// ProductType=tcb-baas".
func validateNewEnv(r *billDealRequest, newEnv bool) *apiError {
	if v := r.Alias; v != nil {
		switch {
		case !newEnv:
			return invalid("Alias", "names a new environment: only for a tcb-baas purchase")
		case utf8.RuneCountInString(*v) > 20 || !aliasShape.MatchString(*v):
			return invalid("Alias", "must be 1 to 20 characters of a-z, 0-9 and single hyphens inside")
		}
	}
	if len(r.ResourceTypes) > 0 && !newEnv {
		return invalid("ResourceTypes", "is only for a new tcb-baas purchase")
	}
	for i, t := range r.ResourceTypes {
		if !slices.Contains([]string{"flexdb", "cos", "cdn", "scf"}, t) || slices.Contains(r.ResourceTypes[:i], t) {
			return invalid(fmt.Sprintf("ResourceTypes[%d]", i), "must be one of flexdb, cos, cdn and scf, each once")
		}
	}
	if len(r.EnvTags) > 0 && !newEnv {
		return invalid("EnvTags", "is only for a new tcb-baas purchase")
	}
	keys := map[string]bool{}
	for i, t := range r.EnvTags {
		p := fmt.Sprintf("EnvTags[%d]", i)
		switch {
		case deref(t.Key) == "":
			return missing(p+".Key", "is required")
		case deref(t.Value) == "":
			return missing(p+".Value", "is required")
		case keys[*t.Key]:
			return invalid(p+".Key", "repeats a tag key")
		}
		keys[*t.Key] = true
	}
	return nil
}

// validateDeals: StartTime and EndTime ("YYYY-MM-DD hh:mm:ss") and Limit
// (1 to 1000) required; Offset a page number from 0; Status 1 to 12.
func validateDeals(r *dealsRequest) *apiError {
	var start, end time.Time
	for _, f := range []struct {
		name string
		v    *string
		t    *time.Time
	}{{"StartTime", r.StartTime, &start}, {"EndTime", r.EndTime, &end}} {
		if deref(f.v) == "" {
			return missing(f.name, "is required")
		}
		t, err := time.Parse(timeLayout, *f.v)
		if err != nil {
			return invalid(f.name, "must be a time written like 2025-12-01 00:00:00")
		}
		*f.t = t
	}
	switch {
	case end.Before(start):
		return invalid("EndTime", "must not be before StartTime")
	case r.Limit == nil:
		return missing("Limit", "is required")
	case *r.Limit < 1 || *r.Limit > 1000:
		return invalid("Limit", "must be from 1 to 1000")
	case r.Offset != nil && *r.Offset < 0:
		return invalid("Offset", "must not be negative")
	case r.Status != nil && (*r.Status < dealUnpaid || *r.Status > dealPaying):
		return invalid("Status", "must be from 1 to 12")
	}
	return nil
}

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
