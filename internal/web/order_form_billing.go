package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// billingForm is the Billing CreateInstance form. Its Parameter (a JSON
// object sent as a string) is built from fields for Cloud Firewall and for
// Cloud Workload Protection log analytics, or typed raw for any other
// product.
type billingForm struct {
	templates.BillingForm
}

// Parameter builders: the product each builds for, and its fixed codes.
const (
	modeCFW = "cfw"
	modeCWP = "cwp"
	modeRaw = "raw"
)

type billingProduct struct {
	productCode, subProductCode string
	pid                         int64
}

var billingProducts = map[string]billingProduct{
	modeCFW: {"p_cloudfirewall", "sp_cloudfirewall_svv1", 1002147},
	// The Cloud Workload Protection example of the API document.
	modeCWP: {"p_yunjing", "sp_yunjing_vas", 1005305},
}

// Cloud Firewall's edition flags: exactly one is 1. Named as Tencent
// Cloud's console names them.
var cfwEditions = []word{
	{"", "order_form_words.choose_edition"},
	{"sv_cloudfirewall_basic_aeps", "summary.cfw.edition.aeps"},
	{"sv_cloudfirewall_basic_eeps", "summary.cfw.edition.eeps"},
	{"sv_cloudfirewall_basic_ueps", "summary.cfw.edition.ueps"},
}

// cfwFields are the other sv_cloudfirewall_* keys, as the Terraform
// provider's tencentcloud_billing_instance example sends them (each
// explicitly, 0 when unused). Labels and hints are catalog keys, the
// summary's words where it has them; the fields Tencent Cloud documents no
// meaning for are labelled with their key and folded under Advanced.
var cfwFields = []templates.BillingParamField{
	{Key: "sv_cloudfirewall_extended_ibtesps", Label: "order_form_words.cfw_ibtesps"},
	{Key: "sv_cloudfirewall_extended_vpcbges", Label: "order_form_words.cfw_vpcbges"},
	{Key: "sv_cloudfirewall_extended_ndr", Label: "order_form_words.cfw_ndr"},
	{Key: "sv_cloudfirewall_extended_clasps", Label: "summary.cfw.clasps", Flag: true},
	{Key: "sv_cloudfirewall_extended_clsesps", Label: "order_form_words.cfw_clsesps", Hint: "order_form_words.steps_1000"},
	{Key: "sv_cloudfirewall_extended_pcs", Label: "summary.cfw.pcs"},
	{Key: "sv_cloudfirewall_extended_sub", Label: "summary.cfw.sub"},
	{Key: "sv_cloudfirewall_extended_subs", Label: "summary.cfw.subs", Hint: "order_form_words.steps_100"},
	{Key: "sv_cloudfirewall_extended_ates", Label: "summary.cfw.ates", Hint: "order_form_words.steps_10"},
	{Key: "sv_cloudfirewall_extended_spt", Label: "summary.cfw.spt", Flag: true},
	{Key: "sv_cloudfirewall_basic_ipsmonth", Undocumented: true},
	{Key: "sv_cloudfirewall_basic_mon", Undocumented: true},
	{Key: "sv_cloudfirewall_extended_ex", Undocumented: true},
	{Key: "sv_cloudfirewall_extended_nats", Undocumented: true},
	{Key: "sv_cloudfirewall_extended_sra", Undocumented: true},
	{Key: "sv_cloudfirewall_extended_srb", Undocumented: true},
}

// cfwFieldsIn are cfwFields in the reader's words; an undocumented field
// is labelled with its key.
func cfwFieldsIn(l *i18n.Localizer) []templates.BillingParamField {
	out := make([]templates.BillingParamField, len(cfwFields))
	for i, f := range cfwFields {
		if f.Undocumented {
			f.Label = f.Key
		} else {
			f.Label = l.T(f.Label)
		}
		if f.Hint != "" {
			f.Hint = l.T(f.Hint)
		}
		out[i] = f
	}
	return out
}

// billingModes are what the Billing form buys, in the reader's words.
var billingModes = []word{
	{modeCFW, "order_form_words.mode_cfw"},
	{modeCWP, "order_form_words.mode_cwp"},
	{modeRaw, "order_form_words.mode_raw"},
}

// billingZones are the zones offered by name, by region: the seeds'
// example zone (ap-guangzhou-1) and the other Guangzhou zones Tencent
// Cloud's region list publishes. Any other zone is typed ("Other"), and
// tcapi checks every zone's shape against its region either way.
var billingZones = map[string][]string{
	"ap-guangzhou": {"ap-guangzhou-1", "ap-guangzhou-3", "ap-guangzhou-4", "ap-guangzhou-6", "ap-guangzhou-7"},
}

// zoneOptions offers a region's known zones by name ("Guangzhou zone 3
// (ap-guangzhou-3)"), or nothing when none are known.
func zoneOptions(l *i18n.Localizer, region string) []templates.Option {
	zones := billingZones[region]
	if len(zones) == 0 {
		return nil
	}
	out := []templates.Option{{Value: "", Label: l.T("order_form_words.choose_zone")}}
	for _, z := range zones {
		n := strings.TrimPrefix(z, region+"-")
		out = append(out, templates.Option{Value: z, Label: l.T("summary.zone.named", "region", regionWord(l, region), "n", n, "code", z)})
	}
	return append(out, templates.Option{Value: otherPick, Label: l.T("order_form_words.other_code")})
}

func newBilling() *billingForm {
	b := &billingForm{}
	b.Mode, b.PayMode, b.CFWGoodsNum = modeCFW, "PrePay", "1"
	b.CFWValues = map[string]string{}
	for _, f := range cfwFields {
		b.CFWValues[f.Key] = "0"
	}
	b.setCodes()
	return b
}

func parseBilling(raw url.Values, r *fieldReader) *billingForm {
	vals := formValues(raw)
	b := &billingForm{}
	b.Mode = vals.get("mode")
	if _, ok := billingProducts[b.Mode]; !ok && b.Mode != modeRaw {
		// A mode that is not offered is an error, not raw parameters
		// chosen on the sender's behalf. Empty (no mode sent) stays raw,
		// as a form without the select means.
		if b.Mode != "" {
			r.fail("mode", "order_form_words.choose_from_list")
		}
		b.Mode = modeRaw
	}
	b.ProductCode, b.SubProductCode = vals.get("ProductCode"), vals.get("SubProductCode")
	b.RegionCode, b.ZoneCode, b.PayMode = vals.get("RegionCode"), vals.get("ZoneCode"), vals.get("PayMode")
	b.RegionCode, b.RegionPick = pickCode(vals.get("RegionPick"), vals.get("RegionPickWas"), b.RegionCode, tcapi.KnownRegions())
	b.ZoneCode, b.ZonePick = pickCode(vals.get("ZonePick"), vals.get("ZonePickWas"), b.ZoneCode, billingZones[b.RegionCode])
	b.Quantity, b.ProjectID, b.Period = vals.get("Quantity"), vals.get("ProjectId"), vals.get("Period")
	b.PeriodUnit, b.RenewFlag = vals.get("PeriodUnit"), vals.get("RenewFlag")
	// The raw Parameter is kept exactly as typed: it is sent byte for byte.
	b.Parameter = raw.Get("Parameter")
	b.CFWEdition, b.CFWGoodsNum, b.CWPLogs = vals.get("cfw-edition"), vals.get("cfw-goodsNum"), vals.get("cwp-la")
	b.CFWValues = map[string]string{}
	for _, f := range cfwFields {
		b.CFWValues[f.Key] = vals.get(templates.CFWFieldID(f.Key))
	}
	// A ClientToken is never read from the form: the console makes it.
	b.setCodes()
	return b
}

// setCodes fixes the product codes of the builder modes; whatever the
// read-only inputs sent back is ignored.
func (b *billingForm) setCodes() {
	if p, ok := billingProducts[b.Mode]; ok {
		b.ProductCode, b.SubProductCode = p.productCode, p.subProductCode
	}
}

// billingFrom fills the form from a stored request. A Parameter the
// builders would make byte for byte from their fields opens in that
// builder; any other opens raw, so editing never changes it unasked.
func billingFrom(req *tcapi.CreateInstanceRequest) *billingForm {
	b := &billingForm{}
	b.Mode = modeRaw
	b.ProductCode, b.SubProductCode = tcapi.Deref(req.ProductCode), tcapi.Deref(req.SubProductCode)
	b.RegionCode, b.ZoneCode, b.PayMode = tcapi.Deref(req.RegionCode), tcapi.Deref(req.ZoneCode), tcapi.Deref(req.PayMode)
	b.Quantity, b.ProjectID, b.Period = i64s(req.Quantity), i64s(req.ProjectId), i64s(req.Period)
	b.PeriodUnit, b.RenewFlag = tcapi.Deref(req.PeriodUnit), tcapi.Deref(req.RenewFlag)
	b.Parameter, b.ClientToken = tcapi.Deref(req.Parameter), tcapi.Deref(req.ClientToken)
	b.RegionCode, b.RegionPick = pickCode("", "", b.RegionCode, tcapi.KnownRegions())
	b.ZoneCode, b.ZonePick = pickCode("", "", b.ZoneCode, billingZones[b.RegionCode])
	b.CFWValues = map[string]string{}

	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(b.Parameter), &m) != nil {
		return b
	}
	for mode, p := range billingProducts {
		if b.ProductCode != p.productCode || b.SubProductCode != p.subProductCode {
			continue
		}
		probe := *b
		probe.Mode = mode
		probe.CFWValues = map[string]string{}
		probe.CFWGoodsNum = rawNumber(m["goodsNum"])
		for _, e := range cfwEditions[1:] {
			if rawNumber(m[e.value]) == "1" {
				probe.CFWEdition = e.value
			}
		}
		for _, f := range cfwFields {
			probe.CFWValues[f.Key] = rawNumber(m[f.Key])
		}
		var la string
		_ = json.Unmarshal(m["sv_yunjing_vas_la"], &la)
		probe.CWPLogs = la
		if built, errs := probe.parameter(); len(errs) == 0 && built == b.Parameter {
			return &probe
		}
	}
	return b
}

func rawNumber(r json.RawMessage) string {
	var n json.Number
	if json.Unmarshal(r, &n) != nil {
		return ""
	}
	return n.String()
}

func (b *billingForm) edit(formOp) map[string]string { return nil }

// term is the Parameter's timeSpan and timeUnit: the request's Period and
// PeriodUnit, or their documented defaults (1, m). Taking them from one
// place means the two can never disagree.
func (b *billingForm) term() (int64, string) {
	span, unit := int64(1), "m"
	if n, err := strconv.ParseInt(b.Period, 10, 64); err == nil {
		span = n
	}
	if b.PeriodUnit != "" {
		unit = b.PeriodUnit
	}
	return span, unit
}

// parameter builds the Parameter JSON of a builder mode, or returns the raw
// text. encoding/json writes map keys sorted, as the API's example has them.
func (b *billingForm) parameter() (string, map[string]string) {
	errs := map[string]string{}
	p, ok := billingProducts[b.Mode]
	if !ok {
		return b.Parameter, errs
	}
	span, unit := b.term()
	m := map[string]any{"pid": p.pid, "productCode": p.productCode, "subProductCode": p.subProductCode,
		"timeSpan": span, "timeUnit": unit}
	switch b.Mode {
	case modeCFW:
		if b.CFWEdition == "" || !slices.ContainsFunc(cfwEditions[1:], func(o word) bool { return o.value == b.CFWEdition }) {
			errs["cfw-edition"] = "order_form_words.choose_cfw_edition"
		}
		for _, e := range cfwEditions[1:] {
			m[e.value] = 0
			if e.value == b.CFWEdition {
				m[e.value] = 1
			}
		}
		if n := countInput(errs, "cfw-goodsNum", b.CFWGoodsNum, false); n != nil {
			m["goodsNum"] = *n
		}
		for _, f := range cfwFields {
			if n := countInput(errs, templates.CFWFieldID(f.Key), b.CFWValues[f.Key], f.Flag); n != nil {
				m[f.Key] = *n
			}
		}
	case modeCWP:
		if n := countInput(errs, "cwp-la", b.CWPLogs, false); n != nil {
			// The API's example sends this amount as a string.
			m["sv_yunjing_vas_la"] = strconv.FormatInt(*n, 10)
		} else if b.CWPLogs == "" {
			errs["cwp-la"] = "order_form_words.enter_log_amount"
		}
	}
	out, _ := json.Marshal(m)
	return string(out), errs
}

// countInput reads a builder count: empty is left out, else a whole number,
// 0 or more (0 or 1 for a flag).
func countInput(errs map[string]string, id, raw string, flag bool) *int64 {
	if raw == "" {
		return nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case err != nil || n < 0:
		errs[id] = "order_form_words.whole_number_0"
		return nil
	case flag && n > 1:
		errs[id] = "order_form_words.off_or_on"
		return nil
	}
	return &n
}

func (b *billingForm) request() (tcapi.Request, map[string]string) {
	param, errs := b.parameter()
	req := &tcapi.CreateInstanceRequest{
		ProductCode:    strInput(b.ProductCode),
		SubProductCode: strInput(b.SubProductCode),
		RegionCode:     strInput(b.RegionCode),
		ZoneCode:       strInput(b.ZoneCode),
		PayMode:        strInput(b.PayMode),
		Parameter:      strInput(param),
		Quantity:       intInput(errs, "Quantity", b.Quantity),
		ProjectId:      intInput(errs, "ProjectId", b.ProjectID),
		Period:         intInput(errs, "Period", b.Period),
		PeriodUnit:     strInput(b.PeriodUnit),
		RenewFlag:      strInput(b.RenewFlag),
	}
	return req, errs
}

var billingFields = map[string]bool{
	"ProductCode": true, "SubProductCode": true, "RegionCode": true, "ZoneCode": true, "PayMode": true,
	"Quantity": true, "ProjectId": true, "Period": true, "PeriodUnit": true, "RenewFlag": true, "ClientToken": true,
}

func (b *billingForm) fieldFor(path string) string {
	switch {
	case billingFields[path]:
		return path
	case path == "Parameter" && b.Mode == modeRaw:
		return path
	}
	return ""
}

func (b *billingForm) fill(l *i18n.Localizer, v *templates.OrderFormView) {
	f := b.BillingForm
	f.Modes = options(l, billingModes...)
	f.PayModes = choiceOptions(l, billingAction, "PayMode")
	f.PeriodUnits = choiceOptions(l, billingAction, "PeriodUnit", word{"", "order_form_words.not_sent_months"})
	f.RenewFlags = choiceOptions(l, billingAction, "RenewFlag", word{"", "order_form_words.not_sent_renew_by_hand"})
	f.CFWEditions, f.CFWFields = options(l, cfwEditions...), cfwFieldsIn(l)
	f.Regions = []templates.Option{{Value: "", Label: l.T("order_form_words.choose_region")}}
	for _, r := range tcapi.KnownRegions() {
		f.Regions = append(f.Regions, templates.Option{Value: r, Label: regionWord(l, r)})
	}
	f.Regions = append(f.Regions, templates.Option{Value: otherPick, Label: l.T("order_form_words.other_code")})
	f.Zones, f.ZoneOpen = zoneOptions(l, f.RegionCode), f.ZonePick == otherPick
	f.AdvancedOpen = f.RegionPick == otherPick || v.Errors["RegionCode"] != "" || v.Errors["ProductCode"] != "" ||
		v.Errors["SubProductCode"] != "" || v.Errors["PayMode"] != ""
	v.Fields = f
}

// billingFormFrom and parseBillingForm are the Billing form's entry in
// formKinds.
func billingFormFrom(req tcapi.Request, _ string) productForm {
	return billingFrom(req.(*tcapi.CreateInstanceRequest))
}

func parseBillingForm(vals url.Values, r *fieldReader) productForm { return parseBilling(vals, r) }

// focus returns "Update the form" to what it updates by: the product choice.
func (b *billingForm) focus(op formOp) string {
	if op.name == "refresh" {
		return "mode"
	}
	return ""
}
