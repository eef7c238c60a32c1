package orders_test

import (
	"strings"
	"testing"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// lines renders a summary as "Label: value" lines, as a page shows it.
func lines(s orders.Summary) string {
	var b strings.Builder
	b.WriteString(s.Text() + "\n")
	for _, l := range s.Lines {
		b.WriteString(l.Label.String() + ": " + l.Value.String() + "\n")
	}
	return b.String()
}

func TestSummaryReadsEachProductInABuyersWords(t *testing.T) {
	t.Parallel()
	cfw := `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou",` +
		`"ZoneCode":"ap-guangzhou-3","PayMode":"PrePay","Period":12,"PeriodUnit":"m","Quantity":1,"RenewFlag":"NOTIFY_AND_AUTO_RENEW",` +
		`"Parameter":"{\"pid\":1002147,\"sv_cloudfirewall_basic_ueps\":1,\"sv_cloudfirewall_extended_ibtesps\":25,\"sv_cloudfirewall_extended_clasps\":1}"}`
	for name, c := range map[string]struct {
		p      orders.Product
		region string
		params string
		want   []string
	}{
		"cloud firewall": {orders.ProductBilling, "", cfw, []string{
			"New purchase: Cloud Firewall Ultimate edition ×1, 12 month(s)\n", "Region: Guangzhou (ap-guangzhou)",
			"Zone: Guangzhou zone 3 (ap-guangzhou-3)", "Renewal: Notify, renew automatically",
			"Internet bandwidth: 25 Mbps", "Log analysis: On",
		}},
		"waf": {orders.ProductWAF, "ap-guangzhou", orderstest.WAFParams, []string{
			"New purchase: WAF Premium edition, SaaS (DNS) ×1, 1 month(s)\n", "Region: Guangzhou (ap-guangzhou)",
			"Area: Chinese mainland", "Renewal: Renews automatically", "New instance name: shop",
		}},
		"billing renewal": {orders.ProductBillingRenew, "", orderstest.BillingRenewParams, []string{
			"Renewal: Cloud Firewall instance cfwi-0a1b2c3d, 1 month(s)\n", "Instance: cfwi-0a1b2c3d",
		}},
		"cloudbase": {orders.ProductTCB, "", orderstest.TCBParams, []string{
			"New purchase: CloudBase Plan baas_personal, 1 month(s)\n", "Payment: Pay at once (CreateAndPay)",
		}},
		"unreadable": {orders.ProductTCB, "", `not json`, []string{"CloudBase (TCB)\n"}},
	} {
		got := lines(orders.SummaryOf(c.p, c.region, []byte(c.params)))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: summary lacks %q:\n%s", name, w, got)
			}
		}
	}
}

// The Cloud Firewall edit approvers judge: a count inside Parameter's JSON
// string reads as that count, in its unit.
func TestWordsReadBillingParameterChanges(t *testing.T) {
	t.Parallel()
	at := func(bw string) orders.VersionContent {
		return orders.VersionContent{AccountID: 1, Params: []byte(`{"ProductCode":"p_cloudfirewall","RegionCode":"ap-guangzhou",` +
			`"Parameter":"{\"pid\":1002147,\"sv_cloudfirewall_extended_ibtesps\":` + bw + `}"}`)}
	}
	changes := orders.Diff(at("25"), at("50"))
	if len(changes) != 1 || changes[0].Field != "Parameter.sv_cloudfirewall_extended_ibtesps" {
		t.Fatalf("raw diff = %+v, want the one member of Parameter", changes)
	}
	w := orders.Words(orders.ProductBilling, changes)
	if got := w[0].Label.String() + " " + w[0].Was.String() + " → " + w[0].Now.String(); got != "Internet bandwidth 25 Mbps → 50 Mbps" {
		t.Errorf("worded = %q", got)
	}
	waf := orders.Words(orders.ProductWAF, []orders.Change{{Field: "Goods[0].GoodsDetail.AutoRenewFlag", Before: "1", After: "0"}, {Field: "Goods[1].Nope", After: `"x"`}})
	if got := waf[0].Label.String() + ": " + waf[0].Was.String() + " → " + waf[0].Now.String(); got != "Entry 1: Renewal: Renews automatically → Renew by hand" {
		t.Errorf("waf worded = %q", got)
	}
	if waf[1].Label.String() != "Goods[1].Nope" || waf[1].Was.String() != "(not set)" || waf[1].Now.String() != "x" {
		t.Errorf("unnamed path = %+v", waf[1])
	}
}
