package tcsim

// wafRow is one row of the WAF product table in tencentcloud-api.md: the
// GoodsCategoryId of a new purchase, a renewal and a change of
// configuration, with the Pid and SubProductCode that travel with them.
// Add-ons (Bot, API security) have only a purchase category.
type wafRow struct {
	name         string
	microVersion string
	buy, renew   int64
	modify       int64
	pid          int64
	subProduct   string
}

var wafTable = []wafRow{
	{"premium", "saas-waf", 102375, 102376, 102377, 1000827, "sp_wsm_waf_premium"},
	{"enterprise", "saas-waf", 102378, 102379, 102380, 1000830, "sp_wsm_waf_enterprise"},
	{"ultimate", "saas-waf", 102369, 102370, 102371, 1000832, "sp_wsm_waf_ultimate"},
	{"domain", "saas-waf", 102372, 102373, 102374, 1000834, "sp_wsm_waf_domain"},
	{"qps", "saas-waf", 101040, 101041, 101042, 1000481, "sp_wsm_waf_qpsep"},
	{"premium", "clb-waf", 101198, 101199, 101200, 1001150, "sp_wsm_waf_premium_clb"},
	{"enterprise", "clb-waf", 101204, 101205, 101206, 1001152, "sp_wsm_waf_enterprise_clb"},
	{"ultimate", "clb-waf", 101201, 101202, 101203, 1001154, "sp_wsm_waf_ultimate_clb"},
	{"domain", "clb-waf", 101207, 101208, 101209, 1001156, "sp_wsm_waf_domain_clb"},
	{"qps", "clb-waf", 101210, 101211, 101212, 1001160, "sp_wsm_waf_qpsep_clb"},
	{"bot", "saas-waf", 1025564, 0, 0, 1016997, "sp_wsm_waf_bot_protection"},
	{"bot", "clb-waf", 1025567, 0, 0, 1017001, "sp_wsm_waf_bot_protection_clb"},
	{"api", "saas-waf", 1027180, 0, 0, 1028161, "sp_wsm_waf_api"},
	{"api", "clb-waf", 1027183, 0, 0, 1028166, "sp_wsm_waf_apiclb"},
}

func (r wafRow) addOn() bool { return r.renew == 0 }

// What a WAF line asks for.
const (
	wafBuy    = "purchase"
	wafRenew  = "renew"
	wafModify = "modify"
)

// wafByCategory finds a GoodsCategoryId's row and what it asks for.
func wafByCategory(id int64) (wafRow, string, bool) {
	for _, r := range wafTable {
		switch {
		case id == r.buy:
			return r, wafBuy, true
		case r.renew != 0 && id == r.renew:
			return r, wafRenew, true
		case r.modify != 0 && id == r.modify:
			return r, wafModify, true
		}
	}
	return wafRow{}, "", false
}

func wafBySubProduct(code string) (wafRow, bool) {
	for _, r := range wafTable {
		if r.subProduct == code {
			return r, true
		}
	}
	return wafRow{}, false
}

func wafByPid(pid int64) (wafRow, bool) {
	for _, r := range wafTable {
		if r.pid == pid {
			return r, true
		}
	}
	return wafRow{}, false
}

// wafRealRegions are the SaaS RealRegion codes per RegionId (from the
// Terraform provider, tencentcloud-api.md): 1 mainland, 9 outside.
var wafRealRegions = map[int64][]int64{
	1: {1, 4, 8, 16},
	9: {5, 9, 23, 18, 21, 17, 6, 22, 43, 51, 72},
}

// wafLabels are the billing labels (LabelTypes) tencentcloud-api.md
// documents: sv_wsm_waf_package_<edition> (and _intl), sv_wsm_waf_qps_ep,
// sv_wsm_waf_domain, each with _clb for CLB WAF. An edition's line may
// carry its own package label and the domain and QPS pack labels bought
// with it; a pack's line its own label. Add-ons have no documented label,
// so nil: anything goes.
func (r wafRow) labels() []string {
	clb := ""
	if r.microVersion == "clb-waf" {
		clb = "_clb"
	}
	switch r.name {
	case "premium", "enterprise", "ultimate":
		pkg := "sv_wsm_waf_package_" + r.name + clb
		return []string{pkg, pkg + "_intl", "sv_wsm_waf_domain" + clb, "sv_wsm_waf_qps_ep" + clb}
	case "domain":
		return []string{"sv_wsm_waf_domain" + clb}
	case "qps":
		return []string{"sv_wsm_waf_qps_ep" + clb}
	}
	return nil
}
