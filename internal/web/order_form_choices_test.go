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
	var v templates.OrderFormView
	newWAF().fill(&v)
	newBilling().fill(&v)
	newTCB().fill(&v)
	var renew templates.OrderFormView
	newBillingRenew().fill(&renew)
	for _, c := range []struct {
		action, param string
		got           []templates.Option
	}{
		{wafAction, "Goods.GoodsDetail.TimeUnit", v.WAF.TimeUnits},
		{wafAction, "Goods.GoodsDetail.MicroVersion", v.WAF.MicroVersions},
		{billingAction, "PayMode", v.Billing.PayModes},
		{billingAction, "PeriodUnit", v.Billing.PeriodUnits},
		{billingAction, "RenewFlag", v.Billing.RenewFlags},
		{billingRenewAction, "PeriodUnit", renew.BillingRenew.PeriodUnits},
		{tcbAction, "DealType", v.TCB.DealTypes},
		{tcbAction, "ProductType", v.TCB.ProductTypes},
		{tcbAction, "TimeUnit", v.TCB.TimeUnits},
		{tcbAction, "Source", v.TCB.Sources},
		{tcbAction, "ResourceTypes", v.TCB.ResourceKinds},
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
