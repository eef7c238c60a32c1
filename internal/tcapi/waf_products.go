package tcapi

// WAFProduct is one WAF edition, pack or add-on in one flavour, with the
// billing identifiers that must travel together in a purchase line.
type WAFProduct struct {
	// Name is "premium", "enterprise", "ultimate", "domain", "qps", "bot" or "api".
	Name string
	// MicroVersion is "saas-waf" or "clb-waf".
	MicroVersion string
	// NewCategory, RenewCategory and ModifyCategory are the GoodsCategoryId
	// values for a new purchase, a renewal and a change of configuration.
	// Add-ons have a single category (NewCategory); the others are 0.
	NewCategory    int64
	RenewCategory  int64
	ModifyCategory int64
	Pid            int64
	SubProductCode string
}

// AddOn reports whether the product is bought for an existing instance.
func (p WAFProduct) AddOn() bool { return p.RenewCategory == 0 }

// WAFProducts returns the table of GoodsCategoryId, Pid and SubProductCode
// values from tencentcloud-api.md. A purchase line must use values from one row.
func WAFProducts() []WAFProduct { return append([]WAFProduct(nil), wafProducts...) }

var wafProducts = []WAFProduct{
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

// WAFDealKind is what a GoodsCategoryId asks for.
type WAFDealKind int

// Kinds of WAF deal.
const (
	WAFNew WAFDealKind = iota + 1
	WAFRenew
	WAFModify
)

// NeedsInstanceID reports whether a line of this kind acts on an existing
// instance, which its InstanceId names: renewals and changes of
// configuration (add-ons, bought new for an instance, need one too; see
// WAFProduct.AddOn).
func (k WAFDealKind) NeedsInstanceID() bool { return k == WAFRenew || k == WAFModify }

// NeedsCurDeadline reports whether a line of this kind is priced to the
// instance's current deadline (CurDeadline): a change of configuration.
func (k WAFDealKind) NeedsCurDeadline() bool { return k == WAFModify }

// LookupWAFCategory finds the product and deal kind of a GoodsCategoryId.
func LookupWAFCategory(id int64) (WAFProduct, WAFDealKind, bool) {
	for _, p := range wafProducts {
		switch id {
		case p.NewCategory:
			return p, WAFNew, true
		case p.RenewCategory:
			if p.RenewCategory != 0 {
				return p, WAFRenew, true
			}
		case p.ModifyCategory:
			if p.ModifyCategory != 0 {
				return p, WAFModify, true
			}
		}
	}
	return WAFProduct{}, 0, false
}

// wafLabelBases are the documented billing labels (LabelTypes) of the
// editions and packs (tencentcloud-api.md), without the "_clb" suffix of
// CLB WAF and the "_intl" suffix of an edition sold outside the mainland.
// The add-ons have no documented label.
var wafLabelBases = map[string]string{
	"premium":    "sv_wsm_waf_package_premium",
	"enterprise": "sv_wsm_waf_package_enterprise",
	"ultimate":   "sv_wsm_waf_package_ultimate",
	"domain":     "sv_wsm_waf_domain",
	"qps":        "sv_wsm_waf_qps_ep",
}

// LabelTypes lists the billing labels a purchase line of p may carry: an
// edition's own package label (also with "_intl") and the domain and QPS
// pack labels bought with it, a pack's own label; each with "_clb" for CLB
// WAF. Nil for the add-ons, which have no documented label: what they carry
// is checked only for its shape.
func (p WAFProduct) LabelTypes() []string {
	base, ok := wafLabelBases[p.Name]
	if !ok {
		return nil
	}
	clb := ""
	if p.MicroVersion == "clb-waf" {
		clb = "_clb"
	}
	labels := []string{base + clb}
	if p.Name == "premium" || p.Name == "enterprise" || p.Name == "ultimate" {
		labels = append(labels, base+clb+"_intl", wafLabelBases["domain"]+clb, wafLabelBases["qps"]+clb)
	}
	return labels
}

func wafProductByPid(pid int64) (WAFProduct, bool) {
	for _, p := range wafProducts {
		if p.Pid == pid {
			return p, true
		}
	}
	return WAFProduct{}, false
}

func wafProductByCode(code string) (WAFProduct, bool) {
	for _, p := range wafProducts {
		if p.SubProductCode == code {
			return p, true
		}
	}
	return WAFProduct{}, false
}

// wafRealRegions maps RegionId to the SaaS RealRegion codes documented for it
// (from the Terraform provider): 1 is the Chinese mainland, 9 outside it.
var wafRealRegions = map[int64][]int64{
	1: {1, 4, 8, 16},
	9: {5, 9, 23, 18, 21, 17, 6, 22, 43, 51, 72},
}

// WAFRegions returns the only X-TC-Region values GenerateDealsAndPayNew accepts.
func WAFRegions() []string { return append([]string(nil), wafRegions...) }

var wafRegions = []string{"ap-guangzhou", "ap-seoul", "ap-singapore"}
