package orders

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"dealdesk/internal/tcapi"
)

// Summary is an order in a buyer's words: what kind of deal of what, and
// the facts approvers judge (edition, region, term, quantity, renewal, the
// instance acted on). The exact request stays beside it on every page; the
// summary only reads it.
type Summary struct {
	// Deal is new, renewal, change or add-on.
	Deal Phrase
	// Headline is one line: "New purchase: Cloud Firewall Ultimate edition ×1, 1 month(s)".
	Headline Phrase
	Lines    []SummaryLine
}

// SummaryLine is one fact: a label and its value.
type SummaryLine struct {
	Label Phrase
	Value Phrase
}

// Text is the headline in English, for webhooks and exports.
func (s Summary) Text() string { return s.Headline.String() }

// SummaryText is the English headline of stored parameters (the pages and
// exports word it in the reader's language: web's phraseText).
func SummaryText(product, region string, params []byte) string {
	return SummaryOf(Product(product), region, params).Text()
}

// Summary reads the order's parameters in its product's words. An order
// to be delivered on a date says so in its headline and a line of its
// own, so approvers, webhooks and exports read when, not only what.
func (o Order) Summary() Summary {
	s := SummaryOf(o.Product, o.Region, o.Params)
	if o.DeliverAt.IsZero() {
		return s
	}
	at := o.DeliverAt.UTC().Format("2006-01-02 15:04 UTC")
	s.Headline = with(phrase("headline.delivery", "at", at), "headline", s.Headline)
	s.Lines = append(s.Lines, SummaryLine{Label: phrase("label.delivery"), Value: phrase("delivery.on_or_after", "at", at)})
	return s
}

// SummaryOf reads parameters of product p (region is WAF's X-TC-Region).
// Parameters it cannot read give a summary naming the product only: the
// exact request below it still says everything.
func SummaryOf(p Product, region string, params []byte) Summary {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		m = map[string]any{}
	}
	b := &summaryBuilder{m: m}
	if f := p.Spec().summarize; f != nil {
		f(b, region)
	}
	if b.s.Headline.IsZero() {
		b.s.Headline = verbatim(p.Label())
	}
	return b.s
}

type summaryBuilder struct {
	m map[string]any
	s Summary
}

func (b *summaryBuilder) line(label, value Phrase) {
	if value.String() != "" {
		b.s.Lines = append(b.s.Lines, SummaryLine{Label: label, Value: value})
	}
}

// headline sets the deal and the one line; term and n may be zero.
func (b *summaryBuilder) headline(deal, what, term Phrase, n string) {
	if deal.String() == "" || what.String() == "" {
		return // unreadable parameters: the product's label heads the summary
	}
	b.s.Deal = deal
	key := "headline"
	switch {
	case !term.IsZero() && n != "":
		key = "headline.term_n"
	case !term.IsZero():
		key = "headline.term"
	case n != "":
		key = "headline.n"
	}
	b.s.Headline = with(with(with(phrase(key, "n", n), "deal", deal), "what", what), "term", term)
	b.line(phrase("label.deal"), deal)
}

// str and num read a member of obj as text ("" when absent).
func str(obj map[string]any, key string) string {
	switch v := obj[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

func object(obj map[string]any, key string) map[string]any {
	m, _ := obj[key].(map[string]any)
	return m
}

// regionName is "Guangzhou (ap-guangzhou)", or the code when it has no name.
func regionName(code string) Phrase {
	if code == "" {
		return Phrase{}
	}
	if _, ok := summaryWords["region."+code]; !ok {
		return verbatim(code)
	}
	return with(phrase("region.named", "code", code), "name", phrase("region."+code))
}

// zoneName is "Guangzhou zone 3 (ap-guangzhou-3)".
func zoneName(code string) Phrase {
	i := strings.LastIndexByte(code, '-')
	if i <= 0 {
		return verbatim(code)
	}
	r := code[:i]
	if _, ok := summaryWords["region."+r]; !ok {
		return verbatim(code)
	}
	return with(phrase("zone.named", "n", code[i+1:], "code", code), "region", phrase("region."+r))
}

// term is "12 month(s)"; unit defaults to months, as the services do.
func term(n, unit string) Phrase {
	if n == "" {
		return Phrase{}
	}
	if unit == "" {
		unit = "m"
	}
	if _, ok := summaryWords["term."+unit]; !ok {
		return verbatim(n + " " + unit)
	}
	return phrase("term."+unit, "n", n)
}

// known is the phrase of key when the catalog has it, else the code itself.
func known(key, code string) Phrase {
	if code == "" {
		return Phrase{}
	}
	if _, ok := summaryWords[key]; ok {
		return phrase(key)
	}
	return verbatim(code)
}

func yesNo(v string) Phrase {
	switch v {
	case "true", "1":
		return phrase("yes")
	case "false", "0":
		return phrase("no")
	}
	return verbatim(v)
}

// cfwCounts are Cloud Firewall's Parameter counts people buy, with the unit
// their value is in ("" a plain count, "flag" on/off).
var cfwCounts = []struct{ key, unit string }{
	{"ibtesps", "unit.mbps"}, {"vpcbges", "unit.gbps"}, {"ndr", "unit.gbps"}, {"clasps", "flag"},
	{"clsesps", "unit.gb"}, {"pcs", ""}, {"sub", ""}, {"subs", ""}, {"ates", ""}, {"spt", "flag"},
}

// cfwParam names a Cloud Firewall Parameter member ("sv_cloudfirewall_extended_ibtesps")
// and says how its value reads; ok is false for members nobody has named.
func cfwParam(member string) (label Phrase, unit string, ok bool) {
	for _, c := range cfwCounts {
		if member == "sv_cloudfirewall_extended_"+c.key {
			return phrase("cfw." + c.key), c.unit, true
		}
	}
	for _, e := range []string{"aeps", "eeps", "ueps"} {
		if member == "sv_cloudfirewall_basic_"+e {
			return phrase("cfw.edition." + e), "flag", true
		}
	}
	if member == "sv_yunjing_vas_la" {
		return phrase("cwp.la"), "", true
	}
	return Phrase{}, "", false
}

// unitValue reads a count in its unit.
func unitValue(unit, v string) Phrase {
	switch {
	case v == "":
		return phrase("absent")
	case unit == "flag" && v == "1":
		return phrase("on")
	case unit == "flag" && v == "0":
		return phrase("off")
	case unit != "" && unit != "flag":
		return phrase(unit, "n", v)
	}
	return verbatim(v)
}

func summarizeBilling(b *summaryBuilder, _ string) {
	m := b.m
	code := str(m, "ProductCode")
	var params map[string]any
	if p, ok := jsonObjectText(str(m, "Parameter")); ok {
		params = p
	}
	product, edition := verbatim(code), Phrase{}
	switch code {
	case "p_cloudfirewall":
		product = phrase("product.cfw")
		for _, e := range []string{"aeps", "eeps", "ueps"} {
			if str(params, "sv_cloudfirewall_basic_"+e) == "1" {
				edition = phrase("cfw.edition." + e)
			}
		}
	case "p_yunjing":
		product = phrase("product.cwp")
	}
	n := str(m, "Quantity")
	if n == "" {
		n = "1"
	}
	t := term(str(m, "Period"), str(m, "PeriodUnit"))
	if t.IsZero() {
		t = term("1", str(m, "PeriodUnit"))
	}
	what := product
	if !edition.IsZero() {
		what = with(with(phrase("cfw.what"), "product", product), "edition", edition)
	}
	b.headline(phrase("deal.new"), what, t, n)
	b.line(phrase("label.product"), product)
	b.line(phrase("label.edition"), edition)
	b.line(phrase("label.region"), regionName(str(m, "RegionCode")))
	b.line(phrase("label.zone"), zoneName(str(m, "ZoneCode")))
	b.line(phrase("label.term"), t)
	b.line(phrase("label.quantity"), verbatim(n))
	b.line(phrase("label.renewal"), known("renew."+str(m, "RenewFlag"), str(m, "RenewFlag")))
	for _, c := range cfwCounts {
		if v := str(params, "sv_cloudfirewall_extended_"+c.key); v != "" && v != "0" {
			b.line(phrase("cfw."+c.key), unitValue(c.unit, v))
		}
	}
	if v := str(params, "sv_yunjing_vas_la"); v != "" {
		b.line(phrase("cwp.la"), verbatim(v))
	}
}

func summarizeBillingRenew(b *summaryBuilder, _ string) {
	m := b.m
	product := known("product.cfw", str(m, "ProductCode"))
	if str(m, "ProductCode") != "p_cloudfirewall" {
		product = verbatim(str(m, "ProductCode"))
	}
	t := term(str(m, "Period"), str(m, "PeriodUnit"))
	b.headline(phrase("deal.renewal"), with(phrase("billing.renew.what", "instance", str(m, "InstanceId")), "product", product), t, "")
	b.line(phrase("label.product"), product)
	b.line(phrase("label.instance"), verbatim(str(m, "InstanceId")))
	b.line(phrase("label.region"), regionName(str(m, "RegionCode")))
	b.line(phrase("label.term"), t)
}

// wafLine reads one Goods entry: its product, deal and facts.
func wafLine(g map[string]any) (deal, what Phrase, facts []SummaryLine, t Phrase, n string) {
	d := object(g, "GoodsDetail")
	cat, _ := strconv.ParseInt(str(g, "GoodsCategoryId"), 10, 64)
	p, kind, ok := tcapi.LookupWAFCategory(cat)
	switch {
	case !ok:
		deal, what = verbatim(str(g, "GoodsCategoryId")), verbatim(str(g, "GoodsCategoryId"))
	case p.AddOn():
		deal = phrase("deal.add_on")
	case kind == tcapi.WAFRenew:
		deal = phrase("deal.renewal")
	case kind == tcapi.WAFModify:
		deal = phrase("deal.change")
	default:
		deal = phrase("deal.new")
	}
	add := func(label, value Phrase) {
		if value.String() != "" {
			facts = append(facts, SummaryLine{Label: label, Value: value})
		}
	}
	if ok {
		what = with(with(phrase("waf.what"), "name", phrase("waf."+p.Name)), "flavour", phrase("waf."+p.MicroVersion))
		add(phrase("label.edition"), phrase("waf."+p.Name))
		add(phrase("label.deployment"), phrase("waf."+p.MicroVersion))
	}
	add(phrase("label.waf_area"), known("waf.area."+str(g, "RegionId"), str(g, "RegionId")))
	t = term(str(d, "TimeSpan"), str(d, "TimeUnit"))
	add(phrase("label.term"), t)
	n = str(g, "GoodsNum")
	add(phrase("label.quantity"), verbatim(n))
	if v := str(d, "AutoRenewFlag"); v != "" {
		add(phrase("label.renewal"), map[bool]Phrase{true: phrase("renew.auto"), false: phrase("renew.manual")}[v == "1"])
	}
	add(phrase("label.instance"), verbatim(str(d, "InstanceId")))
	add(phrase("label.resource"), verbatim(str(d, "ResourceId")))
	add(phrase("label.instance_name"), verbatim(str(d, "InstanceName")))
	return deal, what, facts, t, n
}

func summarizeWAF(b *summaryBuilder, region string) {
	goods, _ := b.m["Goods"].([]any)
	b.line(phrase("label.product"), phrase("product.waf"))
	b.line(phrase("label.region"), regionName(region))
	for i, gv := range goods {
		g, _ := gv.(map[string]any)
		deal, what, facts, t, n := wafLine(g)
		if i == 0 {
			b.headline(deal, what, t, n)
			if len(goods) > 1 {
				b.s.Headline = with(phrase("headline.several", "more", strconv.Itoa(len(goods)-1)), "first", b.s.Headline)
			}
		}
		for _, f := range facts {
			label := f.Label
			if len(goods) > 1 {
				label = with(phrase("label.line", "n", strconv.Itoa(i+1)), "label", f.Label)
			}
			b.line(label, f.Value)
		}
	}
}

func summarizeTCB(b *summaryBuilder, _ string) {
	m := b.m
	deal := known("tcb."+str(m, "DealType"), str(m, "DealType"))
	typ := known("tcb."+str(m, "ProductType"), str(m, "ProductType"))
	t := term(str(m, "TimeSpan"), str(m, "TimeUnit"))
	b.headline(deal, with(phrase("tcb.what", "package", str(m, "PackageId")), "type", typ), t, "")
	b.line(phrase("label.product"), phrase("product.tcb"))
	b.line(phrase("label.package"), verbatim(str(m, "PackageId")))
	b.line(phrase("label.new_package"), verbatim(str(m, "ModifyPackageId")))
	b.line(phrase("label.term"), t)
	b.line(phrase("label.environment"), verbatim(str(m, "ResourceId")))
	b.line(phrase("label.environment"), verbatim(str(m, "EnvId")))
	b.line(phrase("label.alias"), verbatim(str(m, "Alias")))
	pay := phrase("pay.later")
	if str(m, "CreateAndPay") == "true" {
		pay = phrase("pay.now")
	}
	b.line(phrase("label.payment"), pay)
}
