package orders

import "fmt"

// WAF purchases are described by opaque billing codes (GoodsCategoryId, Pid,
// SubProductCode, LabelTypes). The presets below let a person choose an
// edition, a deployment and a purchase kind instead; the codes come from
// ../shared/tencentcloud-api.md (taken from the official SDK documentation)
// and every one of them stays editable in the form's advanced part.

// WAFEdition is what is being bought.
type WAFEdition string

// The WAF editions and packs the presets know.
const (
	WAFPremium     WAFEdition = "premium"
	WAFEnterprise  WAFEdition = "enterprise"
	WAFUltimate    WAFEdition = "ultimate"
	WAFDomainPack  WAFEdition = "domain"
	WAFQPSPack     WAFEdition = "qps"
	WAFBot         WAFEdition = "bot"
	WAFAPISecurity WAFEdition = "api"
)

// WAFFlavor is how the WAF is deployed.
type WAFFlavor string

// SaaS WAF proxies traffic by DNS; CLB WAF sits on a load balancer.
const (
	WAFSaaS WAFFlavor = "saas"
	WAFCLB  WAFFlavor = "clb"
)

// WAFKind is the kind of purchase.
type WAFKind string

// New buys, Renew extends, Modify changes the configuration of an instance.
const (
	WAFNew    WAFKind = "new"
	WAFRenew  WAFKind = "renew"
	WAFModify WAFKind = "modify"
)

// WAFPreset is the set of codes one choice stands for.
type WAFPreset struct {
	GoodsCategoryID int64
	Pid             int64
	SubProductCode  string
	// LabelTypes is empty where no billing label is documented (the add-ons);
	// the form then asks for it in the advanced part.
	LabelTypes []string
	// NeedsInstanceID: renewals, changes and add-ons act on an existing instance.
	NeedsInstanceID bool
	// NeedsCurDeadline: a configuration change is priced to the instance's
	// current expiry time.
	NeedsCurDeadline bool
}

type wafCodes struct {
	categories [3]int64 // new, renew, modify; add-ons only have new
	pid        int64
	sub        string
	label      string // without the _clb / _intl suffixes
	addon      bool
}

var wafTable = map[WAFFlavor]map[WAFEdition]wafCodes{
	WAFSaaS: {
		WAFPremium:     {[3]int64{102375, 102376, 102377}, 1000827, "sp_wsm_waf_premium", "sv_wsm_waf_package_premium", false},
		WAFEnterprise:  {[3]int64{102378, 102379, 102380}, 1000830, "sp_wsm_waf_enterprise", "sv_wsm_waf_package_enterprise", false},
		WAFUltimate:    {[3]int64{102369, 102370, 102371}, 1000832, "sp_wsm_waf_ultimate", "sv_wsm_waf_package_ultimate", false},
		WAFDomainPack:  {[3]int64{102372, 102373, 102374}, 1000834, "sp_wsm_waf_domain", "sv_wsm_waf_domain", false},
		WAFQPSPack:     {[3]int64{101040, 101041, 101042}, 1000481, "sp_wsm_waf_qpsep", "sv_wsm_waf_qps_ep", false},
		WAFBot:         {[3]int64{1025564}, 1016997, "sp_wsm_waf_bot_protection", "", true},
		WAFAPISecurity: {[3]int64{1027180}, 1028161, "sp_wsm_waf_api", "", true},
	},
	WAFCLB: {
		WAFPremium:     {[3]int64{101198, 101199, 101200}, 1001150, "sp_wsm_waf_premium_clb", "sv_wsm_waf_package_premium", false},
		WAFEnterprise:  {[3]int64{101204, 101205, 101206}, 1001152, "sp_wsm_waf_enterprise_clb", "sv_wsm_waf_package_enterprise", false},
		WAFUltimate:    {[3]int64{101201, 101202, 101203}, 1001154, "sp_wsm_waf_ultimate_clb", "sv_wsm_waf_package_ultimate", false},
		WAFDomainPack:  {[3]int64{101207, 101208, 101209}, 1001156, "sp_wsm_waf_domain_clb", "sv_wsm_waf_domain", false},
		WAFQPSPack:     {[3]int64{101210, 101211, 101212}, 1001160, "sp_wsm_waf_qpsep_clb", "sv_wsm_waf_qps_ep", false},
		WAFBot:         {[3]int64{1025567}, 1017001, "sp_wsm_waf_bot_protection_clb", "", true},
		WAFAPISecurity: {[3]int64{1027183}, 1028166, "sp_wsm_waf_apiclb", "", true},
	},
}

// WAF RegionId values.
const (
	WAFRegionMainland = 1 // Chinese mainland
	WAFRegionOutside  = 9 // outside the Chinese mainland
)

// LookupWAFPreset returns the codes for a choice. regionID decides the
// "_intl" label of the editions sold outside the mainland.
func LookupWAFPreset(flavor WAFFlavor, edition WAFEdition, kind WAFKind, regionID int64) (WAFPreset, error) {
	byEdition, ok := wafTable[flavor]
	if !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF deployment %q", flavor)
	}
	c, ok := byEdition[edition]
	if !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF edition %q", edition)
	}
	idx := map[WAFKind]int{WAFNew: 0, WAFRenew: 1, WAFModify: 2}
	i, ok := idx[kind]
	if !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF purchase kind %q", kind)
	}
	if c.addon && kind != WAFNew {
		return WAFPreset{}, fmt.Errorf("orders: %s is an add-on bought for an existing instance; it has no %s codes", edition, kind)
	}
	p := WAFPreset{
		GoodsCategoryID:  c.categories[i],
		Pid:              c.pid,
		SubProductCode:   c.sub,
		NeedsInstanceID:  kind != WAFNew || c.addon,
		NeedsCurDeadline: kind == WAFModify,
	}
	if c.label != "" {
		label := c.label
		if flavor == WAFCLB {
			label += "_clb"
		}
		isEdition := edition == WAFPremium || edition == WAFEnterprise || edition == WAFUltimate
		if isEdition && regionID == WAFRegionOutside {
			label += "_intl"
		}
		p.LabelTypes = []string{label}
	}
	return p, nil
}

// WAFRealRegion is a SaaS WAF's protected region as a person names it.
type WAFRealRegion struct {
	Code     int64
	Name     string
	RegionID int64
}

// WAFRealRegions lists the RealRegion codes (from the Terraform provider).
var WAFRealRegions = []WAFRealRegion{
	{1, "Guangzhou", WAFRegionMainland},
	{4, "Shanghai", WAFRegionMainland},
	{8, "Beijing", WAFRegionMainland},
	{16, "Chengdu", WAFRegionMainland},
	{5, "Hong Kong", WAFRegionOutside},
	{9, "Singapore", WAFRegionOutside},
	{23, "Bangkok", WAFRegionOutside},
	{18, "Seoul", WAFRegionOutside},
	{21, "Mumbai", WAFRegionOutside},
	{17, "Frankfurt", WAFRegionOutside},
	{6, "Toronto", WAFRegionOutside},
	{22, "Virginia", WAFRegionOutside},
	{43, "São Paulo", WAFRegionOutside},
	{51, "Silicon Valley", WAFRegionOutside},
	{72, "Jakarta", WAFRegionOutside},
}
