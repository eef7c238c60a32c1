package templates

import (
	"context"
	"slices"
	"strconv"

	"github.com/a-h/templ"
)

// OrderFormView is the compose and edit page of one product. The product
// part (Fields) holds exactly the strings the person typed, so a
// form sent back with errors keeps all of its input.
type OrderFormView struct {
	Page
	Product      string // waf, billing, billing_renew or tcb
	ProductLabel string
	// Action is where the form posts: /orders/new/PRODUCT or /orders/ID/edit.
	Action string
	// OrderID, Version and StatusLabel are set when editing.
	OrderID     int64
	Version     int
	StatusLabel string
	// VoidsApprovals warns that saving sends a pending or approved order
	// back to draft.
	VoidsApprovals bool

	Title         string
	Justification string
	Account       string
	Accounts      []Option
	// CostCentre is the chosen cost centre's id ("" none); CostCentres
	// the choices, none when admins keep no cost centres.
	CostCentre  string
	CostCentres []Option

	// Errors are the messages by control id.
	Errors map[string]string
	// Unplaced are messages with no control on this page, shown at the top
	// so none is ever lost.
	Unplaced []string
	// Preview is the body and headers the order would be sent with.
	Preview *OrderPreview

	// Focus is the control a row button's page starts on (its autofocus),
	// "" when no row button was pressed.
	Focus string

	// Fields is the product's part of the form (WAFForm, BillingForm...):
	// each renders itself, so the page names no product.
	Fields ProductFields
}

// ProductFields is a product's part of the order form: its view model,
// which renders its fieldsets with the page's errors (the fields method
// sits beside its template, in order_form_<kind>.templ).
type ProductFields interface {
	fields(v OrderFormView) templ.Component
}

// At is where a row button's page returns: the form's own address with
// the fragment of the first field of the row it acts on, so the browser
// scrolls there and focuses it, with or without scripts. (The fragment
// names the field, not the row: a page whose fragment names an element
// skips autofocus, and a fieldset cannot take the focus. The field's
// autofocus is for the case the fragment is lost.)
func (v OrderFormView) At(anchor string) templ.SafeURL {
	return templ.SafeURL(v.Action + "#" + anchor)
}

// Editing reports whether the page edits a saved order.
func (v OrderFormView) Editing() bool { return v.OrderID != 0 }

func (v OrderFormView) hasErrors() bool { return len(v.Errors) > 0 || len(v.Unplaced) > 0 }

// OrderPreview is what a preview shows: the exact body and the headers-to-be.
type OrderPreview struct {
	Body    string
	Action  string
	Version string
	Region  string
	Host    string
	// Refused is true when the body breaks a rule (see the messages).
	Refused bool
	// TokenStandIn is true when the body holds orders.PreviewClientToken in
	// place of the ClientToken made on saving.
	TokenStandIn bool
	// AwaitsPayment is true when sending the body only orders (CloudBase
	// without CreateAndPay): the order would end awaiting payment.
	AwaitsPayment bool
	// Estimate is what the body would cost by the price list in force; nil
	// when the body could not be priced at all (it does not parse).
	Estimate *EstimateView
}

func (p OrderPreview) region() string {
	if p.Region == "" {
		return "(none: this action takes no region)"
	}
	return p.Region
}

// WAFForm is the WAF GenerateDealsAndPayNew form.
type WAFForm struct {
	// Region is X-TC-Region.
	Region string
	Rows   []WAFRow

	Regions       []Option
	Editions      []Option
	Flavors       []Option
	Kinds         []Option
	RegionIDs     []Option
	RealRegions   []OptionGroup
	TimeUnits     []Option
	AutoRenew     []Option
	MicroVersions []Option
}

// WAFRow is one Goods entry.
type WAFRow struct {
	Index int
	// Edition, Flavor and Kind are the preset; Edition "" means custom codes.
	Edition string
	Flavor  string
	Kind    string
	// Applied is the preset key whose codes the row holds ("" for none),
	// carried in a hidden field so the next request can tell whether the
	// preset changed and whether the codes were edited by hand since.
	Applied string
	// Note explains what the preset rule did to this row.
	Note string

	GoodsNum        string
	GoodsCategoryID string
	RegionID        string
	TimeSpan        string
	TimeUnit        string
	SubProductCode  string
	Pid             string
	InstanceName    string
	AutoRenewFlag   string
	RealRegion      string
	CurDeadline     string
	InstanceID      string
	ResourceID      string
	MicroVersion    string
	Labels          []WAFLabel

	// NeedsInstanceID and NeedsCurDeadline come from the preset.
	NeedsInstanceID  bool
	NeedsCurDeadline bool
}

// WAFLabel is one LabelTypes/LabelCounts pair.
type WAFLabel struct {
	Type  string
	Count string
	// Name is what a known type counts, in the reader's words ("Domains");
	// empty for a type no catalog names, which keeps the code in view.
	Name string
}

// allNamed reports whether the entry has labels and every one is named:
// the fieldset then reads without the API's parameter names.
func (r WAFRow) allNamed() bool {
	for _, l := range r.Labels {
		if l.Name == "" {
			return false
		}
	}
	return len(r.Labels) > 0
}

// named reports whether any label has a name: its code then sits under
// Advanced.
func (r WAFRow) named() bool {
	for _, l := range r.Labels {
		if l.Name != "" {
			return true
		}
	}
	return false
}

// WAFRowID is the control id of a field of Goods entry i: "g0-GoodsNum".
func WAFRowID(i int, field string) string { return "g" + strconv.Itoa(i) + "-" + field }

// WAFLabelID is the control id of a label pair's part: "g0-l1-count".
func WAFLabelID(i, j int, part string) string {
	return WAFRowID(i, "l"+strconv.Itoa(j)+"-"+part)
}

func (r WAFRow) ID(field string) string { return WAFRowID(r.Index, field) }

func (r WAFRow) number() string { return strconv.Itoa(r.Index + 1) }

// BillingRenewForm is the Billing RenewInstance form.
type BillingRenewForm struct {
	ProductCode, SubProductCode, RegionCode, InstanceID string
	Period, PeriodUnit                                  string
	// ClientToken is the stored order's, shown read-only when editing.
	ClientToken string
	PeriodUnits []Option
}

// BillingForm is the Billing CreateInstance form.
type BillingForm struct {
	// Mode says how Parameter is made: "cfw" and "cwp" build it from
	// fields, "raw" takes it as typed.
	Mode           string
	ProductCode    string
	SubProductCode string
	RegionCode     string
	ZoneCode       string
	PayMode        string
	Quantity       string
	ProjectID      string
	Period         string
	PeriodUnit     string
	RenewFlag      string
	// Parameter is the raw JSON text (raw mode).
	Parameter string
	// ClientToken is the order's token (editing); empty before saving.
	ClientToken string

	CFWEdition  string
	CFWGoodsNum string
	// CFWValues are the sv_cloudfirewall_* fields by key.
	CFWValues map[string]string
	CWPLogs   string

	// RegionPick is RegionCode's named choice ("_other" for a code typed
	// under Advanced); AdvancedOpen unfolds the codes when one is typed by
	// hand or has an error.
	RegionPick   string
	AdvancedOpen bool
	// ZonePick is ZoneCode's named choice among Zones, the zones known
	// for the region ("_other" for a code typed by hand). Without known
	// zones Zones is empty and the code is typed in the main part.
	ZonePick string
	Zones    []Option
	ZoneOpen bool

	Modes       []Option
	Regions     []Option
	PayModes    []Option
	PeriodUnits []Option
	RenewFlags  []Option
	CFWEditions []Option
	CFWFields   []BillingParamField
}

// BillingParamField is one sv_cloudfirewall_* field of the builder.
type BillingParamField struct {
	Key   string // "sv_cloudfirewall_extended_ates"
	Label string
	Hint  string
	// Flag fields are 0 (off) or 1 (on): a switch, not a number.
	Flag bool
	// Undocumented fields (no meaning Tencent Cloud explains) sit folded
	// under "Advanced" with their default, still sent and still editable.
	Undocumented bool
}

// control is the form control of a Cloud Firewall builder field; a 0/1
// flag is a switch worded off and on, its values sent still "0" and "1".
func (f BillingParamField) control(ctx context.Context, value, errMsg string) FormControl {
	c := FormControl{ID: CFWFieldID(f.Key), Label: f.Label, Value: value, Error: errMsg, Hint: f.Hint}
	if f.Flag {
		c.Options = []Option{{Value: "", Label: T(ctx, "order_form_billing.flag_not_sent")},
			{Value: "0", Label: T(ctx, "order_form_billing.flag_off")}, {Value: "1", Label: T(ctx, "order_form_billing.flag_on")}}
	} else {
		c.InputMode = "numeric"
	}
	return c
}

// advancedOpen says the folded undocumented fields start open: one of
// them has an error to show.
func (b BillingForm) advancedOpen(errs map[string]string) bool {
	for _, f := range b.CFWFields {
		if f.Undocumented && errs[CFWFieldID(f.Key)] != "" {
			return true
		}
	}
	return false
}

// CFWFieldID is the control id of a Cloud Firewall builder field.
func CFWFieldID(key string) string { return "cfw-" + key }

// TCBForm is the CloudBase CreateBillDeal form.
type TCBForm struct {
	DealType        string
	ProductType     string
	PackageID       string
	CreateAndPay    string
	TimeSpan        string
	TimeUnit        string
	ResourceID      string
	Source          string
	Alias           string
	EnvID           string
	EnableExcess    string
	ModifyPackageID string
	Extension       string
	AutoVoucher     string
	ResourceTypes   []string
	Tags            []TCBTag

	// Show* say which fields to render: those the deal and product type
	// use, plus any that hold a value or an error. Need* mark the required.
	ShowResourceID      bool
	ShowModifyPackageID bool
	ShowEnvID           bool
	ShowNewEnv          bool
	NeedResourceID      bool
	NeedModifyPackageID bool
	NeedEnvID           bool

	// PackagePick and ModifyPick are the named choices of PackageId and
	// ModifyPackageId ("_other" for a code typed under Advanced).
	PackagePick string
	ModifyPick  string
	// AdvancedOpen unfolds the codes: one is typed by hand or has an error.
	AdvancedOpen bool

	DealTypes     []Option
	ProductTypes  []Option
	Packages      []Option
	Booleans      []Option
	TimeUnits     []Option
	Sources       []Option
	ResourceKinds []Option
}

// TCBTagID is the control id of a tag's part: "tag0-Key".
func TCBTagID(j int, part string) string { return "tag" + strconv.Itoa(j) + "-" + part }

// TCBTag is one EnvTags entry.
type TCBTag struct {
	Key   string
	Value string
}

func (t TCBForm) hasResourceType(v string) bool {
	return slices.Contains(t.ResourceTypes, v)
}
