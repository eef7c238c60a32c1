package web

import (
	"net/url"

	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// billingRenewForm is the Billing RenewInstance form: the product codes and
// region of the instance, the instance itself and the term. A renewal of a
// Cloud Firewall purchase opens here already filled; composed from scratch
// it renews an instance bought elsewhere.
type billingRenewForm struct {
	templates.BillingRenewForm
}

func newBillingRenew() *billingRenewForm {
	b := &billingRenewForm{}
	b.ProductCode, b.SubProductCode, b.Period, b.PeriodUnit = "p_cloudfirewall", "sp_cloudfirewall_svv1", "1", "m"
	return b
}

func parseBillingRenew(raw url.Values) *billingRenewForm {
	vals := formValues(raw)
	b := &billingRenewForm{}
	b.ProductCode, b.SubProductCode = vals.get("ProductCode"), vals.get("SubProductCode")
	b.RegionCode, b.InstanceID = vals.get("RegionCode"), vals.get("InstanceId")
	b.Period, b.PeriodUnit = vals.get("Period"), vals.get("PeriodUnit")
	// A ClientToken is never read from the form: the console makes it.
	return b
}

func billingRenewFrom(req *tcapi.RenewInstanceRequest) *billingRenewForm {
	b := &billingRenewForm{}
	b.ProductCode, b.SubProductCode = tcapi.Deref(req.ProductCode), tcapi.Deref(req.SubProductCode)
	b.RegionCode, b.InstanceID = tcapi.Deref(req.RegionCode), tcapi.Deref(req.InstanceId)
	b.Period, b.PeriodUnit, b.ClientToken = i64s(req.Period), tcapi.Deref(req.PeriodUnit), tcapi.Deref(req.ClientToken)
	return b
}

func (b *billingRenewForm) edit(formOp) map[string]string { return nil }

func (b *billingRenewForm) request() (tcapi.Request, map[string]string) {
	errs := map[string]string{}
	return &tcapi.RenewInstanceRequest{
		ProductCode:    strInput(b.ProductCode),
		SubProductCode: strInput(b.SubProductCode),
		RegionCode:     strInput(b.RegionCode),
		InstanceId:     strInput(b.InstanceID),
		Period:         intInput(errs, "Period", b.Period),
		PeriodUnit:     strInput(b.PeriodUnit),
	}, errs
}

var billingRenewFields = map[string]bool{
	"ProductCode": true, "SubProductCode": true, "RegionCode": true, "InstanceId": true, "Period": true, "PeriodUnit": true,
}

func (b *billingRenewForm) fieldFor(path string) string {
	if billingRenewFields[path] {
		return path
	}
	return ""
}

func (b *billingRenewForm) fill(l *i18n.Localizer, v *templates.OrderFormView) {
	f := b.BillingRenewForm
	f.PeriodUnits = choiceOptions(l, billingRenewAction, "PeriodUnit", word{"", "order_form_words.not_sent_months"})
	v.Fields = f
}

// billingRenewFormFrom and parseBillingRenewForm are the renewal form's
// entry in formKinds.
func billingRenewFormFrom(req tcapi.Request, _ string) productForm {
	return billingRenewFrom(req.(*tcapi.RenewInstanceRequest))
}

func parseBillingRenewForm(vals url.Values, _ *fieldReader) productForm {
	return parseBillingRenew(vals)
}
