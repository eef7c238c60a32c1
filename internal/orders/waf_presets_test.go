package orders

import (
	"reflect"
	"testing"
)

func TestLookupWAFPreset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flavor  WAFFlavor
		edition WAFEdition
		kind    WAFKind
		region  int64
		want    WAFPreset
	}{
		{WAFSaaS, WAFPremium, WAFNew, WAFRegionMainland, WAFPreset{102375, 1000827, "sp_wsm_waf_premium", []string{"sv_wsm_waf_package_premium"}, false, false}},
		{WAFSaaS, WAFPremium, WAFNew, WAFRegionOutside, WAFPreset{102375, 1000827, "sp_wsm_waf_premium", []string{"sv_wsm_waf_package_premium_intl"}, false, false}},
		{WAFSaaS, WAFUltimate, WAFRenew, WAFRegionMainland, WAFPreset{102370, 1000832, "sp_wsm_waf_ultimate", []string{"sv_wsm_waf_package_ultimate"}, true, false}},
		{WAFSaaS, WAFEnterprise, WAFModify, WAFRegionMainland, WAFPreset{102380, 1000830, "sp_wsm_waf_enterprise", []string{"sv_wsm_waf_package_enterprise"}, true, true}},
		{WAFSaaS, WAFQPSPack, WAFNew, WAFRegionOutside, WAFPreset{101040, 1000481, "sp_wsm_waf_qpsep", []string{"sv_wsm_waf_qps_ep"}, false, false}},
		{WAFCLB, WAFDomainPack, WAFRenew, WAFRegionMainland, WAFPreset{101208, 1001156, "sp_wsm_waf_domain_clb", []string{"sv_wsm_waf_domain_clb"}, true, false}},
		{WAFCLB, WAFEnterprise, WAFNew, WAFRegionOutside, WAFPreset{101204, 1001152, "sp_wsm_waf_enterprise_clb", []string{"sv_wsm_waf_package_enterprise_clb_intl"}, false, false}},
		{WAFCLB, WAFQPSPack, WAFModify, WAFRegionMainland, WAFPreset{101212, 1001160, "sp_wsm_waf_qpsep_clb", []string{"sv_wsm_waf_qps_ep_clb"}, true, true}},
		{WAFSaaS, WAFBot, WAFNew, WAFRegionMainland, WAFPreset{1025564, 1016997, "sp_wsm_waf_bot_protection", nil, true, false}},
		{WAFCLB, WAFAPISecurity, WAFNew, WAFRegionMainland, WAFPreset{1027183, 1028166, "sp_wsm_waf_apiclb", nil, true, false}},
	}
	for _, tt := range tests {
		got, err := LookupWAFPreset(tt.flavor, tt.edition, tt.kind, tt.region)
		if err != nil {
			t.Errorf("%s/%s/%s: %v", tt.flavor, tt.edition, tt.kind, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s/%s/%s region %d:\n got %+v\nwant %+v", tt.flavor, tt.edition, tt.kind, tt.region, got, tt.want)
		}
	}
}

func TestLookupWAFPresetRefusesWhatDoesNotExist(t *testing.T) {
	t.Parallel()
	bad := []struct {
		f WAFFlavor
		e WAFEdition
		k WAFKind
	}{
		{"onprem", WAFPremium, WAFNew},
		{WAFSaaS, "platinum", WAFNew},
		{WAFSaaS, WAFPremium, "upgrade"},
		{WAFSaaS, WAFBot, WAFRenew}, // add-ons have no renewal codes
		{WAFCLB, WAFAPISecurity, WAFModify},
	}
	for _, b := range bad {
		if _, err := LookupWAFPreset(b.f, b.e, b.k, WAFRegionMainland); err == nil {
			t.Errorf("%s/%s/%s accepted", b.f, b.e, b.k)
		}
	}
}

func TestEveryProductHasAPreset(t *testing.T) {
	t.Parallel()
	for _, flavor := range []WAFFlavor{WAFSaaS, WAFCLB} {
		for _, e := range []WAFEdition{WAFPremium, WAFEnterprise, WAFUltimate, WAFDomainPack, WAFQPSPack, WAFBot, WAFAPISecurity} {
			if _, err := LookupWAFPreset(flavor, e, WAFNew, WAFRegionMainland); err != nil {
				t.Errorf("%s/%s: %v", flavor, e, err)
			}
		}
	}
}
