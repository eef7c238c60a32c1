package web

import (
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

// notSent is the first option of an optional select.
var notSent = templates.Option{Value: "", Label: "Not sent"}

// choiceOptions offers an enumerated parameter's allowed values, each
// labelled with its value as the API spells it ("months (m)"), after the
// given leading options (such as "Not sent").
func choiceOptions(action, param string, first ...templates.Option) []templates.Option {
	cs := tcapi.Choices(action, param)
	if cs == nil {
		panic("web: tcapi has no choices for " + action + " " + param)
	}
	out := append([]templates.Option{}, first...)
	for _, c := range cs {
		out = append(out, templates.Option{Value: c.Value, Label: c.Label + " (" + c.Value + ")"})
	}
	return out
}
