package web

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"

	"dealdesk/internal/i18n"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

const maxTagRows = 50

// tcbForm is the CloudBase CreateBillDeal form.
type tcbForm struct {
	templates.TCBForm
	// tagRow maps an EnvTags index to its form row (empty rows are
	// skipped). Set by request.
	tagRow []int
}

func newTCB() *tcbForm {
	t := &tcbForm{}
	t.DealType, t.ProductType, t.CreateAndPay, t.TimeSpan, t.TimeUnit = "purchase", "tcb-baas", "true", "1", "m"
	t.pick()
	return t
}

func parseTCB(raw url.Values) *tcbForm {
	vals := formValues(raw)
	t := &tcbForm{}
	t.DealType, t.ProductType, t.PackageID = vals.get("DealType"), vals.get("ProductType"), vals.get("PackageId")
	t.CreateAndPay, t.TimeSpan, t.TimeUnit = vals.get("CreateAndPay"), vals.get("TimeSpan"), vals.get("TimeUnit")
	t.ResourceID, t.Source, t.Alias, t.EnvID = vals.get("ResourceId"), vals.get("Source"), vals.get("Alias"), vals.get("EnvId")
	t.EnableExcess, t.ModifyPackageID, t.AutoVoucher = vals.get("EnableExcess"), vals.get("ModifyPackageId"), vals.get("AutoVoucher")
	// Extension is JSON text, sent as typed.
	t.Extension = raw.Get("Extension")
	t.PackagePick, t.ModifyPick = vals.get("PackagePick"), vals.get("ModifyPick")
	t.PackageID, t.PackagePick = pickCode(t.PackagePick, vals.get("PackagePickWas"), t.PackageID, tcbPackageCodes(t.ProductType))
	t.ModifyPackageID, t.ModifyPick = pickCode(t.ModifyPick, vals.get("ModifyPickWas"), t.ModifyPackageID, tcbPackageCodes(t.ProductType))
	t.ResourceTypes = raw["ResourceTypes"]
	for j := 0; j < maxTagRows && vals.has(templates.TCBTagID(j, "Key")); j++ {
		t.Tags = append(t.Tags, templates.TCBTag{Key: vals.get(templates.TCBTagID(j, "Key")), Value: vals.get(templates.TCBTagID(j, "Value"))})
	}
	return t
}

func boolString(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func tcbFrom(req *tcapi.CreateBillDealRequest) *tcbForm {
	t := &tcbForm{}
	t.DealType, t.ProductType, t.PackageID = tcapi.Deref(req.DealType), tcapi.Deref(req.ProductType), tcapi.Deref(req.PackageId)
	t.CreateAndPay, t.TimeSpan, t.TimeUnit = boolString(req.CreateAndPay), i64s(req.TimeSpan), tcapi.Deref(req.TimeUnit)
	t.ResourceID, t.Source, t.Alias, t.EnvID = tcapi.Deref(req.ResourceId), tcapi.Deref(req.Source), tcapi.Deref(req.Alias), tcapi.Deref(req.EnvId)
	t.EnableExcess, t.ModifyPackageID, t.AutoVoucher = boolString(req.EnableExcess), tcapi.Deref(req.ModifyPackageId), boolString(req.AutoVoucher)
	t.Extension, t.ResourceTypes = tcapi.Deref(req.Extension), req.ResourceTypes
	for _, tag := range req.EnvTags {
		t.Tags = append(t.Tags, templates.TCBTag{Key: tcapi.Deref(tag.Key), Value: tcapi.Deref(tag.Value)})
	}
	t.pick()
	return t
}

// tcbPackages are the plans and packs the API document's seven examples
// name, by product type, with their names in the reader's words. Any
// other package id is typed under "Advanced" ("Other").
var tcbPackages = map[string][]word{
	"tcb-baas": {
		{"baas_personal", "order_form_words.tcb_baas_personal"},
		{"baas_team", "order_form_words.tcb_baas_team"},
		{"education_demo", "order_form_words.tcb_education_demo"},
	},
	"tcb-promotion": {{"pkg_flexdb_promotion_3000", "order_form_words.tcb_pkg_flexdb_promotion_3000"}},
	"tcb-package":   {{"pkg_tcb_api_invoke_num", "order_form_words.tcb_pkg_tcb_api_invoke_num"}},
}

// tcbPackageCodes are the package ids named for a product type.
func tcbPackageCodes(productType string) []string {
	var out []string
	for _, w := range tcbPackages[productType] {
		out = append(out, w.value)
	}
	return out
}

// pick draws the package selects from the codes (a blank or stored form).
func (t *tcbForm) pick() {
	known := tcbPackageCodes(t.ProductType)
	t.PackageID, t.PackagePick = pickCode("", "", t.PackageID, known)
	t.ModifyPackageID, t.ModifyPick = pickCode("", "", t.ModifyPackageID, known)
}

// packageOptions offers a product type's named packages, then "Other".
func packageOptions(l *i18n.Localizer, productType string) []templates.Option {
	ws := append([]word{{"", "order_form_words.choose"}}, tcbPackages[productType]...)
	return append(options(l, ws...), templates.Option{Value: otherPick, Label: l.T("order_form_words.other_code")})
}

func (t *tcbForm) edit(op formOp) map[string]string {
	switch op.name {
	case "add_tag":
		if len(t.Tags) < maxTagRows {
			t.Tags = append(t.Tags, templates.TCBTag{})
		}
	case "remove_tag":
		if j := op.arg(0); j >= 0 && j < len(t.Tags) {
			t.Tags = slices.Delete(t.Tags, j, j+1)
		}
	}
	return nil
}

// boolInput reads a yes/no/not-sent select.
func boolInput(errs map[string]string, id, raw string) *bool {
	switch raw {
	case "":
		return nil
	case "true":
		return new(true)
	case "false":
		return new(false)
	}
	errs[id] = "order_form_words.choose_yes_no"
	return nil
}

func (t *tcbForm) request() (tcapi.Request, map[string]string) {
	errs := map[string]string{}
	req := &tcapi.CreateBillDealRequest{
		DealType:        strInput(t.DealType),
		ProductType:     strInput(t.ProductType),
		PackageId:       strInput(t.PackageID),
		CreateAndPay:    boolInput(errs, "CreateAndPay", t.CreateAndPay),
		TimeSpan:        intInput(errs, "TimeSpan", t.TimeSpan),
		TimeUnit:        strInput(t.TimeUnit),
		ResourceId:      strInput(t.ResourceID),
		Source:          strInput(t.Source),
		Alias:           strInput(t.Alias),
		EnvId:           strInput(t.EnvID),
		EnableExcess:    boolInput(errs, "EnableExcess", t.EnableExcess),
		ModifyPackageId: strInput(t.ModifyPackageID),
		Extension:       strInput(t.Extension),
		AutoVoucher:     boolInput(errs, "AutoVoucher", t.AutoVoucher),
		ResourceTypes:   t.ResourceTypes,
	}
	t.tagRow = nil
	for j, tag := range t.Tags {
		if tag.Key == "" && tag.Value == "" {
			continue
		}
		req.EnvTags = append(req.EnvTags, tcapi.Tag{Key: strInput(tag.Key), Value: strInput(tag.Value)})
		t.tagRow = append(t.tagRow, j)
	}
	return req, errs
}

var tcbFields = map[string]bool{
	"DealType": true, "ProductType": true, "PackageId": true, "CreateAndPay": true, "TimeSpan": true, "TimeUnit": true,
	"ResourceId": true, "Source": true, "Alias": true, "EnvId": true, "EnableExcess": true, "ModifyPackageId": true,
	"Extension": true, "AutoVoucher": true, "EnvTags": true,
}

var (
	tcbTagPath  = regexp.MustCompile(`^EnvTags\[(\d+)\]\.(Key|Value)$`)
	tcbTypePath = regexp.MustCompile(`^ResourceTypes(\[\d+\])?$`)
)

func (t *tcbForm) fieldFor(path string) string {
	if tcbFields[path] {
		return path
	}
	if tcbTypePath.MatchString(path) {
		return "ResourceTypes"
	}
	if m := tcbTagPath.FindStringSubmatch(path); m != nil {
		if j, _ := strconv.Atoi(m[1]); j < len(t.tagRow) {
			return templates.TCBTagID(t.tagRow[j], m[2])
		}
	}
	return ""
}

// fill decides which fields show. The deal type and product type say which
// apply; a field that holds a value or an error always shows, so nothing
// typed is hidden or lost, and the error explains why it does not belong.
func (t *tcbForm) fill(l *i18n.Localizer, v *templates.OrderFormView) {
	f := t.TCBForm
	deal, product := f.DealType, f.ProductType
	known := func(s string, vs ...string) bool { return slices.Contains(vs, s) }
	anyDeal := !known(deal, "purchase", "renew", "modify")
	anyProduct := !known(product, "tcb-baas", "tcb-promotion", "tcb-package")
	has := func(ids ...string) bool {
		for _, id := range ids {
			if v.Errors[id] != "" {
				return true
			}
		}
		return false
	}
	f.NeedResourceID = deal == "renew" || deal == "modify"
	f.NeedModifyPackageID = deal == "modify"
	f.NeedEnvID = product == "tcb-promotion" || product == "tcb-package"
	f.ShowResourceID = anyDeal || f.NeedResourceID || f.ResourceID != "" || has("ResourceId")
	f.ShowModifyPackageID = anyDeal || f.NeedModifyPackageID || f.ModifyPackageID != "" || has("ModifyPackageId")
	// A plan's renewal or change may name the environment again, as the
	// API's examples do.
	f.ShowEnvID = anyProduct || anyDeal || f.NeedEnvID || f.NeedResourceID || f.EnvID != "" || has("EnvId")
	tagsTyped := slices.ContainsFunc(f.Tags, func(tg templates.TCBTag) bool { return tg.Key != "" || tg.Value != "" })
	tagErr := false
	for id := range v.Errors {
		if len(id) > 3 && id[:3] == "tag" {
			tagErr = true
		}
	}
	f.ShowNewEnv = anyDeal || anyProduct || (deal == "purchase" && product == "tcb-baas") ||
		f.Alias != "" || len(f.ResourceTypes) > 0 || tagsTyped || tagErr || has("Alias", "ResourceTypes", "EnvTags")
	if f.ShowNewEnv && len(f.Tags) == 0 {
		f.Tags = []templates.TCBTag{{}}
	}

	tcbChoices(l, &f)
	f.AdvancedOpen = tcbAdvancedOpen(f, has("PackageId", "ModifyPackageId", "Source", "Extension"))
	v.Fields = f
}

// tcbAdvancedOpen unfolds the codes when one is typed by hand ("Other")
// or one of them has an error to show.
func tcbAdvancedOpen(f templates.TCBForm, codeErr bool) bool {
	return codeErr || f.PackagePick == otherPick || (f.ShowModifyPackageID && f.ModifyPick == otherPick)
}

// tcbChoices puts the form's choices in the reader's words.
func tcbChoices(l *i18n.Localizer, f *templates.TCBForm) {
	choose := word{"", "order_form_words.choose"}
	f.DealTypes = choiceOptions(l, tcbAction, "DealType", choose)
	f.ProductTypes = choiceOptions(l, tcbAction, "ProductType", choose)
	f.Packages = packageOptions(l, f.ProductType)
	f.Booleans = options(l, notSent, word{"true", "order_form_words.yes"}, word{"false", "order_form_words.no"})
	f.TimeUnits = choiceOptions(l, tcbAction, "TimeUnit", notSent)
	f.Sources = choiceOptions(l, tcbAction, "Source", word{"", "order_form_words.not_sent_qcloud"})
	f.ResourceKinds = choiceOptions(l, tcbAction, "ResourceTypes")
}

// tcbFormFrom and parseTCBForm are the CloudBase form's entry in formKinds.
func tcbFormFrom(req tcapi.Request, _ string) productForm {
	return tcbFrom(req.(*tcapi.CreateBillDealRequest))
}

func parseTCBForm(vals url.Values, _ *fieldReader) productForm { return parseTCB(vals) }

// focus returns "Update the form" to what it updates by: the deal's first field.
func (t *tcbForm) focus(op formOp) string {
	if op.name == "refresh" {
		return "DealType"
	}
	return ""
}
