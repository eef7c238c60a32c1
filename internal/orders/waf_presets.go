package orders

import (
	"fmt"

	"dealdesk/internal/tcapi"
)

// WAF purchases are described by opaque billing codes (GoodsCategoryId, Pid,
// SubProductCode, LabelTypes). The presets below let a person choose an
// edition, a deployment and a purchase kind instead; the codes come from
// docs/tencentcloud-api.md (taken from the official SDK documentation)
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

// wafLabels are the billing labels of the editions and packs, without the
// "_clb" and "_intl" suffixes. The codes themselves come from tcapi's product
// table, the one the validator checks purchases against; add-ons have no
// documented label.
var wafLabels = map[WAFEdition]string{
	WAFPremium:    "sv_wsm_waf_package_premium",
	WAFEnterprise: "sv_wsm_waf_package_enterprise",
	WAFUltimate:   "sv_wsm_waf_package_ultimate",
	WAFDomainPack: "sv_wsm_waf_domain",
	WAFQPSPack:    "sv_wsm_waf_qps_ep",
}

// microVersion is tcapi's name for a deployment.
var microVersion = map[WAFFlavor]string{WAFSaaS: "saas-waf", WAFCLB: "clb-waf"}

func lookupWAFProduct(flavor WAFFlavor, edition WAFEdition) (tcapi.WAFProduct, bool) {
	for _, p := range tcapi.WAFProducts() {
		if p.Name == string(edition) && p.MicroVersion == microVersion[flavor] {
			return p, true
		}
	}
	return tcapi.WAFProduct{}, false
}

// WAF RegionId values.
const (
	WAFRegionMainland = 1 // Chinese mainland
	WAFRegionOutside  = 9 // outside the Chinese mainland
)

// dealKinds maps the form's purchase kinds to tcapi's, which says which
// fields each kind needs.
var dealKinds = map[WAFKind]tcapi.WAFDealKind{WAFNew: tcapi.WAFNew, WAFRenew: tcapi.WAFRenew, WAFModify: tcapi.WAFModify}

// LookupWAFPreset returns the codes for a choice. regionID decides the
// "_intl" label of the editions sold outside the mainland.

func LookupWAFPreset(flavor WAFFlavor, edition WAFEdition, kind WAFKind, regionID int64) (WAFPreset, error) {
	if _, ok := microVersion[flavor]; !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF deployment %q", flavor)
	}
	c, ok := lookupWAFProduct(flavor, edition)
	if !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF edition %q", edition)
	}
	categories := map[WAFKind]int64{WAFNew: c.NewCategory, WAFRenew: c.RenewCategory, WAFModify: c.ModifyCategory}
	category, ok := categories[kind]
	if !ok {
		return WAFPreset{}, fmt.Errorf("orders: unknown WAF purchase kind %q", kind)
	}
	if c.AddOn() && kind != WAFNew {
		return WAFPreset{}, fmt.Errorf("orders: %s is an add-on bought for an existing instance; it has no %s codes", edition, kind)
	}
	p := WAFPreset{
		GoodsCategoryID:  category,
		Pid:              c.Pid,
		SubProductCode:   c.SubProductCode,
		NeedsInstanceID:  dealKinds[kind].NeedsInstanceID() || c.AddOn(),
		NeedsCurDeadline: dealKinds[kind].NeedsCurDeadline(),
	}
	if label, ok := wafLabels[edition]; ok {
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
