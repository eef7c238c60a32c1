package orders

import (
	"fmt"

	"dealdesk/internal/tcapi"
)

// Product is what an order buys, and so which API action sends it.
type Product string

// The three products Dealdesk buys.
const (
	ProductWAF     Product = "waf"     // WAF GenerateDealsAndPayNew
	ProductBilling Product = "billing" // Billing CreateInstance (Cloud Firewall and others)
	ProductTCB     Product = "tcb"     // CloudBase CreateBillDeal
)

// Products lists them in the order pages show them.
var Products = []Product{ProductWAF, ProductBilling, ProductTCB}

var productActions = map[Product]struct{ name, version, label string }{
	ProductWAF:     {"GenerateDealsAndPayNew", tcapi.VersionWAF, "WAF"},
	ProductBilling: {"CreateInstance", tcapi.VersionBilling, "Cloud Firewall (Billing CreateInstance)"},
	ProductTCB:     {"CreateBillDeal", tcapi.VersionTCB, "CloudBase (TCB)"},
}

// Valid reports whether p is a known product.
func (p Product) Valid() bool {
	_, ok := productActions[p]
	return ok
}

// Label is the product as a person reads it.
func (p Product) Label() string { return productActions[p].label }

// Action is the API action that sends the product's orders.
func (p Product) Action() (tcapi.Action, error) {
	pa, ok := productActions[p]
	if !ok {
		return tcapi.Action{}, fmt.Errorf("orders: unknown product %q", p)
	}
	a, ok := tcapi.LookupAction(pa.name, pa.version)
	if !ok {
		return tcapi.Action{}, fmt.Errorf("orders: tcapi does not know %s %s", pa.name, pa.version)
	}
	return a, nil
}

// ParseParams decodes and validates stored or submitted parameters for the
// product with exactly the rules the client and the sandbox apply.
func (p Product) ParseParams(params []byte, region string) (tcapi.Request, error) {
	a, err := p.Action()
	if err != nil {
		return nil, err
	}
	return tcapi.ParseRequest(a, params, region)
}
