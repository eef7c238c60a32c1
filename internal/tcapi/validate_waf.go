package tcapi

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// TimeLayout is how the APIs write times: WAF CurDeadline, billing StartTime and EndTime.
const TimeLayout = "2006-01-02 15:04:05"

// Validate implements Request. Besides the documented enums and ranges it
// checks that GoodsCategoryId, Pid and SubProductCode name the same product:
// a line that mixes two rows of the product table would buy something other
// than what its approver read.
func (r *GenerateDealsAndPayNewRequest) Validate() error {
	c := &checker{action: "GenerateDealsAndPayNew"}
	c.texts(r)
	switch {
	case r.Region == "":
		c.missing("Region")
	case !slices.Contains(wafRegions, r.Region):
		c.add("Region", CodeUnsupportedRegion, "waf_region",
			"regions", describeChoices(regionChoices()), "value", quote(r.Region))
	}
	if len(r.Goods) == 0 {
		c.missing("Goods")
	}
	if len(r.Goods) > MaxGoods {
		c.invalid("Goods", "lines_at_most", "max", num(MaxGoods), "got", num(len(r.Goods)))
	}
	for i := range r.Goods {
		validateGood(c, idx("Goods", i), &r.Goods[i])
	}
	return c.err()
}

func regionChoices() []choice {
	cs := make([]choice, len(wafRegions))
	for i, r := range wafRegions {
		cs[i] = choice{value: r}
	}
	return cs
}

func validateGood(c *checker, p string, g *GoodNews) {
	// The category decides which later rules apply, so it is read first.
	var prod *WAFProduct
	var kind WAFDealKind
	if g.GoodsCategoryId != nil {
		if pr, k, ok := LookupWAFCategory(*g.GoodsCategoryId); ok {
			prod, kind = &pr, k
		} else {
			c.invalid(p+".GoodsCategoryId", "waf_category", "got", num(*g.GoodsCategoryId))
		}
	}
	if g.GoodsNum == nil {
		c.missing(p + ".GoodsNum")
	}
	c.atLeast(p+".GoodsNum", g.GoodsNum, 1)
	c.atMost(p+".GoodsNum", CodeInvalidParameterValue, g.GoodsNum, MaxQuantity)
	if g.GoodsDetail == nil {
		c.missing(p + ".GoodsDetail")
	} else {
		validateGoodsDetail(c, p+".GoodsDetail", g.GoodsDetail, prod, kind, g.RegionId)
	}
	if g.RegionId != nil && *g.RegionId != 1 && *g.RegionId != 9 {
		c.invalid(p+".RegionId", "waf_region_id", "got", num(*g.RegionId))
	}
}

func validateGoodsDetail(c *checker, p string, d *GoodsDetailNew, prod *WAFProduct, kind WAFDealKind, regionID *int64) {
	c.timeSpan(p+".TimeSpan", d.TimeSpan, Deref(d.TimeUnit))
	c.oneOf(p+".TimeUnit", d.TimeUnit, allowed("GenerateDealsAndPayNew", "Goods.GoodsDetail.TimeUnit")...)
	c.maxLen(p+".InstanceName", d.InstanceName, MaxNameLen)
	c.ident(p+".InstanceId", d.InstanceId)
	c.ident(p+".ResourceId", d.ResourceId)

	prod = wafDetailProduct(c, p, d, prod, kind)

	if d.AutoRenewFlag != nil && *d.AutoRenewFlag != 0 && *d.AutoRenewFlag != 1 {
		c.invalid(p+".AutoRenewFlag", "auto_renew_flag", "got", num(*d.AutoRenewFlag))
	}

	validateRealRegion(c, p, d, prod, regionID)

	if len(d.LabelTypes) != len(d.LabelCounts) {
		c.invalid(p+".LabelCounts", "label_counts", "types", num(len(d.LabelTypes)), "counts", num(len(d.LabelCounts)))
	}
	if len(d.LabelTypes) > MaxLabels {
		c.invalid(p+".LabelTypes", "labels_at_most", "max", num(MaxLabels), "got", num(len(d.LabelTypes)))
	}
	var labels []string
	if prod != nil {
		labels = prod.LabelTypes()
	}
	for i, t := range d.LabelTypes {
		switch {
		case t == "":
			c.missing(idx(p+".LabelTypes", i))
		case !isCode(t) || len(t) > MaxCodeLen:
			c.code(idx(p+".LabelTypes", i), &d.LabelTypes[i])
		case labels != nil && !slices.Contains(labels, t):
			// Checked against the product row like the category, Pid and
			// SubProductCode: a label of another product is a different
			// purchase from the one the line names.
			c.invalid(idx(p+".LabelTypes", i), "waf_label", "value", quote(t), "code", prod.SubProductCode, "allowed", strings.Join(labels, ", "))
		}
	}
	for i, n := range d.LabelCounts {
		switch {
		case n < 1:
			c.invalid(idx(p+".LabelCounts", i), "at_least", "min", "1", "got", num(n))
		case n > MaxLabelCount:
			c.invalid(idx(p+".LabelCounts", i), "at_most", "max", num(MaxLabelCount), "got", num(n))
		}
	}

	switch {
	case d.CurDeadline != nil:
		if _, err := time.Parse(TimeLayout, *d.CurDeadline); err != nil {
			c.invalid(p+".CurDeadline", "waf_deadline", "value", quote(*d.CurDeadline))
		}
	case kind.NeedsCurDeadline():
		c.add(p+".CurDeadline", CodeMissingParameter, "waf_deadline_required")
	}

	if prod != nil && prod.AddOn() && Deref(d.InstanceId) == "" {
		c.add(p+".InstanceId", CodeMissingParameter, "waf_instance_required")
	}

	validateMicroVersion(c, p, d, prod)
}

func joinInts(vs []int64) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, ", ")
}

// wafDetailProduct checks that SubProductCode and Pid name the product the
// goods category names, and returns the line's product: the category's, else
// the one SubProductCode or Pid names (nil when none does).
func wafDetailProduct(c *checker, p string, d *GoodsDetailNew, prod *WAFProduct, kind WAFDealKind) *WAFProduct {
	switch {
	case d.SubProductCode != nil:
		sp, ok := wafProductByCode(*d.SubProductCode)
		switch {
		case !ok:
			c.invalid(p+".SubProductCode", "waf_sub_product", "value", quote(*d.SubProductCode))
		case prod != nil && sp.SubProductCode != prod.SubProductCode:
			c.invalid(p+".SubProductCode", "waf_sub_product_match", "want", prod.SubProductCode, "got", sp.SubProductCode)
		case prod == nil:
			prod = &sp
		}
	case prod != nil && (kind == WAFNew || kind == WAFRenew):
		c.add(p+".SubProductCode", CodeMissingParameter, "waf_sub_product_required")
	}

	if d.Pid != nil {
		pp, ok := wafProductByPid(*d.Pid)
		switch {
		case !ok:
			c.invalid(p+".Pid", "waf_pid", "got", num(*d.Pid))
		case prod != nil && pp.Pid != prod.Pid:
			c.invalid(p+".Pid", "waf_pid_match", "want", num(prod.Pid), "code", prod.SubProductCode, "got", num(*d.Pid))
		case prod == nil:
			prod = &pp
		}
	}
	return prod
}

// validateRealRegion checks RealRegion's range and, for SaaS WAF, that it is
// a region of the line's RegionId.
func validateRealRegion(c *checker, p string, d *GoodsDetailNew, prod *WAFProduct, regionID *int64) {
	if d.RealRegion == nil {
		return
	}
	saas := (prod != nil && prod.MicroVersion == "saas-waf") || Deref(d.MicroVersion) == "saas-waf"
	allowed, known := wafRealRegions[Deref(regionID)]
	switch {
	case *d.RealRegion < 1:
		c.invalid(p+".RealRegion", "waf_real_region_min", "got", num(*d.RealRegion))
	case *d.RealRegion > MaxRealRegion:
		c.invalid(p+".RealRegion", "waf_real_region_max", "max", num(MaxRealRegion), "got", num(*d.RealRegion))
	case saas && known && !slices.Contains(allowed, *d.RealRegion):
		c.invalid(p+".RealRegion", "waf_real_region",
			"got", num(*d.RealRegion), "region", num(*regionID), "allowed", joinInts(allowed))
	}
}

// validateMicroVersion checks MicroVersion, and that it is the line's
// product's deployment.
func validateMicroVersion(c *checker, p string, d *GoodsDetailNew, prod *WAFProduct) {
	c.oneOf(p+".MicroVersion", d.MicroVersion, allowed("GenerateDealsAndPayNew", "Goods.GoodsDetail.MicroVersion")...)
	if mv := Deref(d.MicroVersion); prod != nil && (mv == "clb-waf" || mv == "saas-waf") && mv != prod.MicroVersion {
		c.invalid(p+".MicroVersion", "waf_micro_version", "want", prod.MicroVersion, "code", prod.SubProductCode, "got", mv)
	}
}
