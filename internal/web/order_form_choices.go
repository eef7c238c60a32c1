package web

import (
	"slices"
	"strings"

	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// The actions the forms build; their enumerated parameters' values come
// from tcapi (Choices), the same lists its validator checks against.
const (
	wafAction     = "GenerateDealsAndPayNew"
	billingAction = "CreateInstance"
	// billingRenewAction renews a CreateInstance purchase.
	billingRenewAction = "RenewInstance"
	tcbAction          = "CreateBillDeal"
)

// word is a form's option: the value sent and the catalog key of its label,
// put into the reader's language when the form is filled.
type word struct{ value, key string }

// options puts words into the reader's language.
func options(l *i18n.Localizer, ws ...word) []templates.Option {
	out := make([]templates.Option, len(ws))
	for i, w := range ws {
		out[i] = templates.Option{Value: w.value, Label: l.T(w.key)}
	}
	return out
}

// notSent is the first option of an optional select.
var notSent = word{"", "order_form_words.not_sent"}

// choiceWords are the labels of tcapi's enumerated values, by action,
// parameter and value: a buyer reads "months", never "m".
var choiceWords = map[string]string{
	"GenerateDealsAndPayNew.Goods.GoodsDetail.TimeUnit.d":            "order_form_words.unit_days",
	"GenerateDealsAndPayNew.Goods.GoodsDetail.TimeUnit.m":            "order_form_words.unit_months",
	"GenerateDealsAndPayNew.Goods.GoodsDetail.TimeUnit.y":            "order_form_words.unit_years",
	"GenerateDealsAndPayNew.Goods.GoodsDetail.MicroVersion.clb-waf":  "order_form_words.waf_clb",
	"GenerateDealsAndPayNew.Goods.GoodsDetail.MicroVersion.saas-waf": "order_form_words.waf_saas",
	"CreateInstance.PayMode.PrePay":                                  "order_form_words.pay_upfront",
	"CreateInstance.PeriodUnit.m":                                    "order_form_words.unit_months",
	"CreateInstance.PeriodUnit.y":                                    "order_form_words.unit_years",
	"CreateInstance.RenewFlag.NOTIFY_AND_MANUAL_RENEW":               "order_form_words.renew_by_hand",
	"CreateInstance.RenewFlag.NOTIFY_AND_AUTO_RENEW":                 "order_form_words.renew_automatically",
	"CreateInstance.RenewFlag.DISABLE_NOTIFY_AND_MANUAL_RENEW":       "order_form_words.do_not_renew",
	"RenewInstance.PeriodUnit.m":                                     "order_form_words.unit_months",
	"RenewInstance.PeriodUnit.y":                                     "order_form_words.unit_years",
	"CreateBillDeal.DealType.purchase":                               "order_form_words.deal_purchase",
	"CreateBillDeal.DealType.renew":                                  "order_form_words.deal_renew",
	"CreateBillDeal.DealType.modify":                                 "order_form_words.deal_modify",
	"CreateBillDeal.ProductType.tcb-baas":                            "order_form_words.tcb_plan",
	"CreateBillDeal.ProductType.tcb-promotion":                       "order_form_words.tcb_promotion",
	"CreateBillDeal.ProductType.tcb-package":                         "order_form_words.tcb_resource_pack",
	"CreateBillDeal.TimeUnit.d":                                      "order_form_words.unit_days",
	"CreateBillDeal.TimeUnit.m":                                      "order_form_words.unit_months",
	"CreateBillDeal.TimeUnit.y":                                      "order_form_words.unit_years",
	"CreateBillDeal.TimeUnit.p":                                      "order_form_words.unit_once",
	"CreateBillDeal.Source.qcloud":                                   "order_form_words.source_qcloud",
	"CreateBillDeal.Source.miniapp":                                  "order_form_words.source_miniapp",
	"CreateBillDeal.ResourceTypes.flexdb":                            "order_form_words.rt_database",
	"CreateBillDeal.ResourceTypes.cos":                               "order_form_words.rt_storage",
	"CreateBillDeal.ResourceTypes.cdn":                               "order_form_words.rt_cdn",
	"CreateBillDeal.ResourceTypes.scf":                               "order_form_words.rt_functions",
}

// choiceOptions offers an enumerated parameter's allowed values, each in
// the reader's words, after the given leading options (such as "Not
// sent"). A value tcapi adds before this file names it shows tcapi's own
// English label (a test lists the values without words).
func choiceOptions(l *i18n.Localizer, action, param string, first ...word) []templates.Option {
	cs := tcapi.Choices(action, param)
	if cs == nil {
		panic("web: tcapi has no choices for " + action + " " + param)
	}
	out := options(l, first...)
	for _, c := range cs {
		label := c.Label
		if key, ok := choiceWords[action+"."+param+"."+c.Value]; ok {
			label = l.T(key)
		}
		out = append(out, templates.Option{Value: c.Value, Label: label})
	}
	return out
}

// otherPick is the "Other (type the code)" choice of a picked code.
const otherPick = "_other"

// pickCode reconciles a code offered as named choices with the code typed
// under "Advanced". The pick wins when the person changed it since the page
// was drawn (was is the pick drawn); otherwise the code as typed stands.
// Either way the pick drawn next is the code's own choice, or "Other" for
// a code no choice names, so the select and the code never disagree.
func pickCode(pick, was, code string, known []string) (string, string) {
	if pick != was && pick != "" && pick != otherPick && slices.Contains(known, pick) {
		code = pick
	}
	switch {
	case code == "":
		if pick == otherPick {
			return "", otherPick
		}
		return "", ""
	case slices.Contains(known, code):
		return code, code
	}
	return code, otherPick
}

// regionWords names known regions ("Guangzhou") from the summary's words,
// with the code when no name is known.
func regionWord(l *i18n.Localizer, code string) string {
	if key := "summary.region." + code; l.Has(key) {
		return l.T(key)
	}
	return code
}

// translateFormWords puts the form's own messages (notes and refusals the
// product forms write as catalog keys) into the reader's language.
func translateFormWords(l *i18n.Localizer, errs map[string]string) {
	for id, m := range errs {
		if strings.HasPrefix(m, "order_form_words.") {
			errs[id] = l.T(m)
		}
	}
}
