package orders

import (
	"maps"

	"dealdesk/internal/fault"
)

// Phrase is a summary's words as a key and its arguments: its English is
// summaryWords[Key] with each {name} replaced. Summaries speak through this
// one catalog (not fault's, whose keys are refusals) so the i18n work
// translates them by key, as it does fault's; a key the catalog lacks
// reads as its "text" argument (an id, a code nobody has named).
type Phrase struct {
	Key  string
	Args map[string]string
	// Parts are the arguments that are phrases themselves (a headline's
	// deal and product), kept so another language words them too; Args
	// holds their English.
	Parts map[string]Phrase
}

// with returns p with the phrase part as its argument name.
func with(p Phrase, name string, part Phrase) Phrase {
	args := maps.Clone(p.Args)
	if args == nil {
		args = map[string]string{}
	}
	args[name] = part.String()
	parts := maps.Clone(p.Parts)
	if parts == nil {
		parts = map[string]Phrase{}
	}
	parts[name] = part
	p.Args, p.Parts = args, parts
	return p
}

// Render is the phrase in the words words gives for a key and its
// arguments (false: no such key there), parts first; a key words lacks
// reads as String does.
func (p Phrase) Render(words func(key string, args map[string]string) (string, bool)) string {
	args := p.Args
	if len(p.Parts) > 0 {
		args = maps.Clone(p.Args)
		for k, part := range p.Parts {
			args[k] = part.Render(words)
		}
	}
	if s, ok := words(p.Key, args); ok {
		return s
	}
	return Phrase{Key: p.Key, Args: args}.String()
}

func phrase(key string, pairs ...string) Phrase {
	p := Phrase{Key: key}
	if len(pairs) > 0 {
		p.Args = make(map[string]string, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			p.Args[pairs[i]] = pairs[i+1]
		}
	}
	return p
}

// verbatim is a value shown as written: an instance id, an unknown code.
func verbatim(s string) Phrase { return phrase("value", "text", s) }

// IsZero reports whether the phrase says nothing.
func (p Phrase) IsZero() bool { return p.Key == "" }

// String is the phrase in English.
func (p Phrase) String() string {
	t, ok := summaryWords[p.Key]
	if !ok {
		return p.Args["text"]
	}
	return fault.Fill(t, p.Args)
}

// summaryWords is the English of every phrase a summary or a worded diff
// uses. Keys built from codes (region.*, cfw.*, waf.*, tcb.*) name the code
// after the dot.
var summaryWords = map[string]string{
	// Delivery on a date (issue 17, part 5): Order.Summary.
	"headline.delivery":    "{headline}, to be bought on or after {at}",
	"label.delivery":       "Delivery",
	"delivery.on_or_after": "on or after {at}",
	"value":                "{text}",

	// Labels of the summary's lines and of a worded diff's rows.
	"label.deal":          "Deal",
	"label.product":       "Product",
	"label.edition":       "Edition",
	"label.deployment":    "Deployment",
	"label.region":        "Region",
	"label.zone":          "Zone",
	"label.term":          "Term",
	"label.quantity":      "Quantity",
	"label.renewal":       "Renewal",
	"label.instance":      "Instance",
	"label.resource":      "Resource",
	"label.environment":   "Environment",
	"label.instance_name": "New instance name",
	"label.package":       "Package",
	"label.new_package":   "Change to package",
	"label.payment":       "Payment",
	"label.product_code":  "Product code",
	"label.sub_product":   "Sub-product code",
	"label.line":          "Entry {n}: {label}",
	"label.category":      "Category code",
	"label.waf_area":      "Area",
	"label.add_on":        "Add-on quantity ({code})",
	"label.account":       "Account",
	"label.title":         "Title",
	"label.justification": "Justification",
	"label.alias":         "Environment name",

	// Kinds of deal.
	"deal.new":     "New purchase",
	"deal.renewal": "Renewal",
	"deal.change":  "Change of configuration",
	"deal.add_on":  "Add-on",

	// Headline: what kind of deal of what, for how long, how many.
	"headline":         "{deal}: {what}",
	"headline.term":    "{deal}: {what}, {term}",
	"headline.n":       "{deal}: {what} ×{n}",
	"headline.term_n":  "{deal}: {what} ×{n}, {term}",
	"headline.several": "{first} (and {more} more)",

	// Terms and units.
	"term.d":       "{n} day(s)",
	"term.m":       "{n} month(s)",
	"term.y":       "{n} year(s)",
	"term.p":       "once",
	"unit.mbps":    "{n} Mbps",
	"unit.gbps":    "{n} Gbps",
	"unit.gb":      "{n} GB",
	"on":           "On",
	"off":          "Off",
	"yes":          "Yes",
	"no":           "No",
	"absent":       "(not set)",
	"renew.auto":   "Renews automatically",
	"renew.manual": "Renew by hand",
	"pay.now":      "Pay at once (CreateAndPay)",
	"pay.later":    "Create the deal only; someone pays it later",

	// Billing's RenewFlag.
	"renew.NOTIFY_AND_MANUAL_RENEW":         "Notify, renew by hand",
	"renew.NOTIFY_AND_AUTO_RENEW":           "Notify, renew automatically",
	"renew.DISABLE_NOTIFY_AND_MANUAL_RENEW": "Do not renew, no notice",

	// Products and editions.
	"product.cfw":        "Cloud Firewall",
	"product.cwp":        "Cloud Workload Protection",
	"product.waf":        "WAF",
	"product.tcb":        "CloudBase",
	"cfw.edition.aeps":   "Advanced edition",
	"cfw.edition.eeps":   "Enterprise edition",
	"cfw.edition.ueps":   "Ultimate edition",
	"cfw.ibtesps":        "Internet bandwidth",
	"cfw.vpcbges":        "VPC firewall bandwidth",
	"cfw.ndr":            "Traffic detection and response",
	"cfw.clasps":         "Log analysis",
	"cfw.clsesps":        "Log storage",
	"cfw.pcs":            "Network honeypots",
	"cfw.sub":            "General instances",
	"cfw.subs":           "General rules",
	"cfw.ates":           "Address templates",
	"cfw.spt":            "Critical protection toolkit",
	"cwp.la":             "Log analytics",
	"waf.premium":        "Premium edition",
	"waf.enterprise":     "Enterprise edition",
	"waf.ultimate":       "Ultimate edition",
	"waf.domain":         "Domain pack",
	"waf.qps":            "QPS pack",
	"waf.bot":            "Bot protection",
	"waf.api":            "API security",
	"waf.saas-waf":       "SaaS (DNS)",
	"waf.clb-waf":        "CLB (load balancer)",
	"waf.area.1":         "Chinese mainland",
	"waf.area.9":         "Outside the Chinese mainland",
	"tcb.tcb-baas":       "Plan",
	"tcb.tcb-promotion":  "Promotion pack",
	"tcb.tcb-package":    "Resource pack",
	"tcb.purchase":       "New purchase",
	"tcb.renew":          "Renewal",
	"tcb.modify":         "Change of plan",
	"tcb.what":           "CloudBase {type} {package}",
	"cfw.what":           "{product} {edition}",
	"waf.what":           "WAF {name}, {flavour}",
	"billing.renew.what": "{product} instance {instance}",

	// Regions by name.
	"region.ap-guangzhou":     "Guangzhou",
	"region.ap-shanghai":      "Shanghai",
	"region.ap-nanjing":       "Nanjing",
	"region.ap-beijing":       "Beijing",
	"region.ap-chengdu":       "Chengdu",
	"region.ap-chongqing":     "Chongqing",
	"region.ap-hongkong":      "Hong Kong",
	"region.ap-taipei":        "Taipei",
	"region.ap-singapore":     "Singapore",
	"region.ap-jakarta":       "Jakarta",
	"region.ap-bangkok":       "Bangkok",
	"region.ap-seoul":         "Seoul",
	"region.ap-tokyo":         "Tokyo",
	"region.ap-mumbai":        "Mumbai",
	"region.na-siliconvalley": "Silicon Valley",
	"region.na-ashburn":       "Virginia",
	"region.na-toronto":       "Toronto",
	"region.sa-saopaulo":      "São Paulo",
	"region.eu-frankfurt":     "Frankfurt",
	"region.ap-shanghai-fsi":  "Shanghai Finance",
	"region.ap-shenzhen-fsi":  "Shenzhen Finance",
	"region.ap-beijing-fsi":   "Beijing Finance",
	"region.named":            "{name} ({code})",
	"zone.named":              "{region} zone {n} ({code})",
}

// SummaryCatalog is a copy of the summary words' English, which the i18n
// catalogs register under "summary." so that both languages translate them
// by key.
func SummaryCatalog() map[string]string { return maps.Clone(summaryWords) }
