package web

import (
	"slices"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// The forms offer exactly the values tcapi's validator allows: each
// enumerated select is built from tcapi.Choices, and each value it offers
// passes validation.
func TestFormSelectsOfferTheValidatorsChoices(t *testing.T) {
	t.Parallel()
	var wv, bv, tv, rv templates.OrderFormView
	l := i18n.New(i18n.English, time.UTC)
	newWAF().fill(l, &wv)
	newBilling().fill(l, &bv)
	newTCB().fill(l, &tv)
	newBillingRenew().fill(l, &rv)
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
			// Each value is offered in words, never as its code.
			if _, ok := choiceWords[c.action+"."+c.param+"."+ch.Value]; !ok {
				t.Errorf("%s %s: %q has no words in choiceWords", c.action, c.param, ch.Value)
			}
		}
		for _, o := range c.got {
			if o.Value != "" && strings.Contains(o.Label, "("+o.Value+")") {
				t.Errorf("%s %s: the label %q shows the code", c.action, c.param, o.Label)
			}
		}
		if len(want) == 0 || !slices.Equal(offered, want) {
			t.Errorf("%s %s: form offers %v, tcapi allows %v", c.action, c.param, offered, want)
		}
	}
}

// A code offered as named choices: changing the choice sets the code; a
// code typed under Advanced stands, and the choice drawn next is its own
// or "Other"; the two never disagree.
func TestPickCodeKeepsChoiceAndCodeTogether(t *testing.T) {
	t.Parallel()
	known := []string{"baas_personal", "baas_team"}
	for _, c := range []struct {
		pick, was, code    string
		wantCode, wantPick string
	}{
		{"baas_team", "baas_personal", "baas_personal", "baas_team", "baas_team"},       // the choice changed
		{"baas_personal", "baas_personal", "my_plan", "my_plan", otherPick},             // the code was typed
		{"baas_personal", "baas_personal", "baas_team", "baas_team", "baas_team"},       // typed a named one
		{otherPick, "baas_personal", "baas_personal", "baas_personal", "baas_personal"}, // Other, code unchanged
		{otherPick, otherPick, "", "", otherPick},
		{"", "", "", "", ""},
		{"not_offered", "baas_personal", "baas_personal", "baas_personal", "baas_personal"}, // a forged choice changes nothing
	} {
		code, pick := pickCode(c.pick, c.was, c.code, known)
		if code != c.wantCode || pick != c.wantPick {
			t.Errorf("pickCode(%q, %q, %q) = %q, %q; want %q, %q", c.pick, c.was, c.code, code, pick, c.wantCode, c.wantPick)
		}
	}
}
