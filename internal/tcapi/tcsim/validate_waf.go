package tcsim

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

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
