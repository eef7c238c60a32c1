package orders

import (
	"encoding/json"
	"fmt"

	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Product is what an order buys, and so which API action sends it.
type Product string

// The products Dealdesk buys, one per API action.
const (
	ProductWAF          Product = "waf"           // WAF GenerateDealsAndPayNew
	ProductBilling      Product = "billing"       // Billing CreateInstance (Cloud Firewall and others)
	ProductBillingRenew Product = "billing_renew" // Billing RenewInstance: another term of one instance
	ProductTCB          Product = "tcb"           // CloudBase CreateBillDeal
)

// Spec is everything Dealdesk knows about one product: the one place that
// says how its orders are sent, renewed, checked for duplicates, settled and
// composed. Services, the sender and the pages ask a product's Spec instead
// of comparing product names.
type Spec struct {
	Product Product
	// Label is the product as a person reads it; Description says what it
	// buys, on the page where a product is chosen.
	Label       string
	Description string
	// ActionName and ActionVersion name the tcapi action that sends it.
	ActionName    string
	ActionVersion string
	// UsesClientToken marks products whose request carries a ClientToken
	// Dealdesk makes: Tencent Cloud buys once per token, so an unknown
	// outcome may be settled by resending with the same token. Products
	// without one are never called twice; a person settles them by hand.
	UsesClientToken bool
	// TakesRegion marks products whose orders name a region (X-TC-Region);
	// the others must leave it empty.
	TakesRegion bool
	// renew turns a succeeded order's parameters into a renewal's; a missing
	// identifier is a fault.Fields entry on its parameter path, which is what
	// the renewal asks the requester for (RenewalAsks).
	renew func(o Order, in RenewInput) ([]byte, error)
	// RenewsAs is the product a renewal is drafted as, when renewing takes
	// another action than buying (CreateInstance renews through
	// RenewInstance: resending a purchase would buy a second instance);
	// empty means the product itself.
	RenewsAs Product
	// targets adds the ids of what an order changes (instances, resources,
	// environments) for the duplicate guard; nil for products whose orders
	// only ever buy something new.
	targets func(m map[string]any, add func(obj any, keys ...string))
	// AnswerHasDeals marks products whose answer names deals (DealNames,
	// BigDealId): a person settling by hand is asked for the deal names.
	// Other answers carry an OrderId and instance ids, or nothing.
	AnswerHasDeals bool
	// rules are Dealdesk's own rules for the product's parameters, beyond
	// the API's (rules.go); nil when there are none.
	rules func(req tcapi.Request) fault.Fields
	// awaitsPayment reports whether a successful call with these
	// parameters only orders, leaving a deal to be paid (CloudBase without
	// CreateAndPay); nil means a success is a purchase.
	awaitsPayment func(params []byte) bool
	// diffWords names the product's own parameter paths in a change
	// between versions (diff_words.go), such as a WAF Goods entry's fields
	// or the members of Billing's JSON-in-a-string Parameter; a zero
	// Phrase leaves the path to the common names. Nil: none of its own.
	diffWords func(path string) (Phrase, func(string) Phrase)
	// price says which price list entries an order's request buys, for
	// its estimate (estimate.go).
	price func(req tcapi.Request, add priceLine)
	// summarize reads the product's parameters in a buyer's words
	// (summary.go); region is the order's X-TC-Region.
	summarize func(b *summaryBuilder, region string)
	// facts reads the product's decoded parameters for what approval rules
	// judge: kind of deal, term, quantity, edition, auto-renewal
	// (rule_facts.go); nil leaves them zero.
	facts func(m map[string]any, f *RuleFacts)
	// terms reads what a succeeded order bought or renewed, for the
	// instances' expiries (expiry.go), from its parameters and the
	// instance ids its answer named; nil: no expiry it can tell.
	terms func(params []byte, bought []string) []expiryTerm
	// renewalNames names the instance a renewal that is due is for
	// (renewals_due.go), where the order's parameters leave it to be
	// named; nil names nothing.
	renewalNames func(params []byte, target string) RenewInput
	// Example is a realistic request body the validator and the sandbox
	// accept, with ExampleRegion for products that take one: the API
	// document's example orders and the tests' drafts (orderstest.Draft).
	Example       string
	ExampleRegion string
}

// specs is the product registry, in the order pages show the products.
var specs = []Spec{
	{
		Product: ProductWAF, Label: "WAF",
		Description: "Web Application Firewall editions, packs and add-ons: new purchases, renewals and changes of configuration, one or more entries per order.",
		ActionName:  "GenerateDealsAndPayNew", ActionVersion: tcapi.VersionWAF,
		TakesRegion: true, renew: renewWAF, targets: targetsWAF,
		AnswerHasDeals: true, rules: rulesWAF, summarize: summarizeWAF,
		diffWords: wafDiffWords, price: priceWAF, facts: factsWAF,
		terms: wafTerms, renewalNames: renewWAFLine,
		Example: `{"Goods":[{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{` +
			`"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceName":"shop",` +
			`"AutoRenewFlag":1,"RealRegion":1,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1]}}]}`,
		ExampleRegion: "ap-guangzhou",
	},
	{
		Product: ProductBilling, Label: "Cloud Firewall (Billing CreateInstance)",
		Description: "Cloud Firewall (and other products sold through the international billing service), paid upfront from the account balance.",
		ActionName:  "CreateInstance", ActionVersion: tcapi.VersionBilling,
		UsesClientToken: true, renew: renewBilling, RenewsAs: ProductBillingRenew,
		summarize: summarizeBilling, diffWords: billingDiffWords, price: priceBilling,
		facts: factsBilling, terms: billingTerms, renewalNames: renewInstanceID,
		Example: `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1",` +
			`"RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay","Parameter":"{\"pid\":1002147}"}`,
	},
	{
		Product: ProductBillingRenew, Label: "Cloud Firewall renewal (Billing RenewInstance)",
		Description: "Another term of one Cloud Firewall (or other billing) instance you already have, named by its instance id: it renews that instance and buys nothing new.",
		ActionName:  "RenewInstance", ActionVersion: tcapi.VersionBilling,
		UsesClientToken: true, renew: renewSame, targets: targetsBillingRenew,
		summarize: summarizeBillingRenew, price: priceBillingRenew,
		facts: factsBillingRenew, terms: billingRenewTerms,
		Example: `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1",` +
			`"RegionCode":"ap-guangzhou","InstanceId":"cfwi-0a1b2c3d","Period":1,"PeriodUnit":"m"}`,
	},
	{
		Product: ProductTCB, Label: "CloudBase (TCB)",
		Description: "CloudBase plans, promotion packs and resource packs: new purchases, renewals and changes of plan.",
		ActionName:  "CreateBillDeal", ActionVersion: tcapi.VersionTCB,
		renew: renewTCB, targets: targetsTCB, awaitsPayment: tcbAwaitsPayment,
		summarize: summarizeTCB, price: priceTCB,
		facts: factsTCB, terms: tcbTerms, renewalNames: renewResourceID,
		Example: `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m"}`,
	},
}

// renewalProduct is the product a renewal of p is drafted as.
func (s Spec) renewalProduct() Product {
	if s.RenewsAs != "" {
		return s.RenewsAs
	}
	return s.Product
}

// AwaitsPayment reports whether a successful call with params only orders:
// the service creates a deal that nobody has paid, and nothing is bought
// until someone does (StatusAwaitingPayment, never StatusSucceeded).
func (p Product) AwaitsPayment(params []byte) bool {
	f := p.Spec().awaitsPayment
	return f != nil && f(params)
}

// tcbAwaitsPayment: CreateBillDeal pays only with CreateAndPay true; the
// service's default (false or unset) creates an unpaid order.
func tcbAwaitsPayment(params []byte) bool {
	var req tcapi.CreateBillDealRequest
	if err := json.Unmarshal(params, &req); err != nil {
		// Stored parameters always decode; if they did not, "awaiting
		// payment" is the reading that never claims a purchase.
		return true
	}
	return !tcapi.Deref(req.CreateAndPay)
}

// Products lists them in the order pages show them.
var Products = func() []Product {
	ps := make([]Product, len(specs))
	for i, s := range specs {
		ps[i] = s.Product
	}
	return ps
}()

// lookup finds the product's entry; ok is false for an unknown product.
func (p Product) lookup() (Spec, bool) {
	for _, s := range specs {
		if s.Product == p {
			return s, true
		}
	}
	return Spec{}, false
}

// Spec is the product's entry in the registry: the zero Spec for an
// unknown product.
func (p Product) Spec() Spec {
	s, _ := p.lookup()
	return s
}

// Valid reports whether p is a known product.
func (p Product) Valid() bool {
	_, ok := p.lookup()
	return ok
}

// Label is the product as a person reads it.
func (p Product) Label() string { return p.Spec().Label }

// Action is the API action that sends the product's orders.
func (p Product) Action() (tcapi.Action, error) {
	s, ok := p.lookup()
	if !ok {
		return tcapi.Action{}, fmt.Errorf("orders: unknown product %q", p)
	}
	a, ok := tcapi.LookupAction(s.ActionName, s.ActionVersion)
	if !ok {
		return tcapi.Action{}, fmt.Errorf("orders: tcapi does not know %s %s", s.ActionName, s.ActionVersion)
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
