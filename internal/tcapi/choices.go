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
// action and parameter path ("CreateBillDeal.TimeUnit"), gathered from the
// actions' own lists.
var choices = func() map[string][]Choice {
	m := map[string][]Choice{}
	for _, a := range actions {
		for param, cs := range a.choices {
			m[a.Name+"."+param] = cs
		}
	}
	return m
}()

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
