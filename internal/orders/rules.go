package orders

import (
	"fmt"

	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Dealdesk's own rules: stricter than the API, checked on every path that
// makes or changes an order's parameters (compose, edit, preview, clone,
// renew), whichever page or client it came from. The API's own rules are
// tcapi's (Validate), which the sandbox applies too; these are not, since the
// service itself does not insist on them.

// rulesWAF refuses a renewal or a change of configuration that names no
// instance: the API does not insist, but the service is then left to guess
// which instance is meant. The presets mark the field required, and this
// holds however the codes were chosen.
func rulesWAF(req tcapi.Request) fault.Fields {
	w, ok := req.(*tcapi.GenerateDealsAndPayNewRequest)
	if !ok {
		return nil
	}
	fe := fault.Fields{}
	for i, g := range w.Goods {
		if g.GoodsCategoryId == nil || (g.GoodsDetail != nil && tcapi.Deref(g.GoodsDetail.InstanceId) != "") {
			continue
		}
		if _, kind, ok := tcapi.LookupWAFCategory(*g.GoodsCategoryId); ok && kind.NeedsInstanceID() {
			path := fmt.Sprintf("Goods[%d].GoodsDetail.InstanceId", i)
			fe.Set(path, "order.rules.waf_needs_instance")
		}
	}
	return fe
}

// productRules applies the product's own rules to parameters that passed
// tcapi's validation.
func productRules(p Product, req tcapi.Request) fault.Fields {
	if rules := p.Spec().rules; rules != nil {
		return rules(req)
	}
	return nil
}
