package tcapi

import "slices"

// Choice is one allowed value of an enumerated parameter: Value as the API
// spells it, Words as the validator's messages explain it, Label as a form
// offers it. The validator and the forms read the same lists, so a form
// never offers a value the validator refuses.
type Choice struct {
	Value string
	Words string
	Label string
}

// choices are the allowed values of each enumerated string parameter, by
// action and parameter path (array indexes left out), in the order the
// validator's messages list them.
var choices = map[string][]Choice{
	"GenerateDealsAndPayNew.Goods.GoodsDetail.TimeUnit": {
		{"d", "days", "days"}, {"m", "months", "months"}, {"y", "years", "years"}},
	"GenerateDealsAndPayNew.Goods.GoodsDetail.MicroVersion": {
		{"clb-waf", "WAF on CLB", "CLB WAF"}, {"saas-waf", "SaaS WAF", "SaaS WAF"}},
	"CreateInstance.PayMode": {
		{"PrePay", "pay upfront", "Pay upfront"}},
	"CreateInstance.PeriodUnit": {
		{"m", "months", "months"}, {"y", "years", "years"}},
	"CreateInstance.RenewFlag": {
		{"NOTIFY_AND_MANUAL_RENEW", "renew by hand", "Notify, renew by hand"},
		{"NOTIFY_AND_AUTO_RENEW", "renew automatically", "Notify, renew automatically"},
		{"DISABLE_NOTIFY_AND_MANUAL_RENEW", "do not renew", "Do not renew"}},
	"RenewInstance.PeriodUnit": {
		{"m", "months", "months"}, {"y", "years", "years"}},
	"CreateBillDeal.DealType": {
		{"purchase", "new purchase", "New purchase"}, {"renew", "renewal", "Renewal"}, {"modify", "change of plan", "Change of plan"}},
	"CreateBillDeal.ProductType": {
		{"tcb-baas", "plan", "Plan"}, {"tcb-promotion", "promotion pack", "Promotion pack"}, {"tcb-package", "resource pack", "Resource pack"}},
	"CreateBillDeal.TimeUnit": {
		{"d", "days", "days"}, {"m", "months", "months"}, {"y", "years", "years"}, {"p", "once", "once"}},
	"CreateBillDeal.Source": {
		{"qcloud", "Tencent Cloud", "Tencent Cloud"}, {"miniapp", "mini program", "Mini program"}},
	"CreateBillDeal.ResourceTypes": {
		{"flexdb", "database", "Database"}, {"cos", "storage", "Storage"}, {"cdn", "CDN", "CDN"}, {"scf", "functions", "Functions"}},
}

// Choices lists the values an action's enumerated parameter allows, such
// as Choices("CreateBillDeal", "TimeUnit") or, for WAF,
// Choices("GenerateDealsAndPayNew", "Goods.GoodsDetail.TimeUnit"); nil for
// a parameter that is not enumerated.
func Choices(action, param string) []Choice {
	return slices.Clone(choices[action+"."+param])
}

// allowed is Choices as the checker's oneOf takes them.
func allowed(action, param string) []choice {
	cs := choices[action+"."+param]
	if cs == nil {
		panic("tcapi: no choices for " + action + "." + param)
	}
	out := make([]choice, len(cs))
	for i, c := range cs {
		out[i] = choice{c.Value, c.Words}
	}
	return out
}
