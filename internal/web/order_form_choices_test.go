package web

import (
	"slices"
	"testing"

	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// The forms offer exactly the values tcapi's validator allows: each
// enumerated select is built from tcapi.Choices, and each value it offers
// passes validation.
func TestFormSelectsOfferTheValidatorsChoices(t *testing.T) {
	t.Parallel()
	var wv, bv, tv, rv templates.OrderFormView
	newWAF().fill(&wv)
	newBilling().fill(&bv)
	newTCB().fill(&tv)
	newBillingRenew().fill(&rv)
	waf, billing := wv.Fields.(templates.WAFForm), bv.Fields.(templates.BillingForm)
	tcb, renew := tv.Fields.(templates.TCBForm), rv.Fields.(templates.BillingRenewForm)
	for _, c := range []struct {
		action, param string
		got           []templates.Option
	}{
		{wafAction, "Goods.GoodsDetail.TimeUnit", waf.TimeUnits},
		{wafAction, "Goods.GoodsDetail.MicroVersion", waf.MicroVersions},
		{billingAction, "PayMode", billing.PayModes},
		{billingAction, "PeriodUnit", billing.PeriodUnits},
		{billingAction, "RenewFlag", billing.RenewFlags},
		{billingRenewAction, "PeriodUnit", renew.PeriodUnits},
		{tcbAction, "DealType", tcb.DealTypes},
		{tcbAction, "ProductType", tcb.ProductTypes},
		{tcbAction, "TimeUnit", tcb.TimeUnits},
		{tcbAction, "Source", tcb.Sources},
		{tcbAction, "ResourceTypes", tcb.ResourceKinds},
	} {
		var offered, want []string
		for _, o := range c.got {
			if o.Value != "" {
				offered = append(offered, o.Value)
			}
		}
		for _, ch := range tcapi.Choices(c.action, c.param) {
			want = append(want, ch.Value)
		}
		if len(want) == 0 || !slices.Equal(offered, want) {
			t.Errorf("%s %s: form offers %v, tcapi allows %v", c.action, c.param, offered, want)
		}
	}
}
