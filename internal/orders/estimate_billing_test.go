package orders_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// sandboxList is the sandbox's default table as a price list (the seed,
// TestSeedPricesMatchSandbox), from the start of time.
func sandboxList(drop ...string) orders.PriceList {
	list := orders.PriceList{Version: 30}
	for line, items := range tcsim.DefaultPrices() {
		for item, fen := range items {
			if !slices.Contains(drop, item) {
				list.Entries = append(list.Entries, entry(line, item, fen, day.AddDate(-30, 0, 0)))
			}
		}
	}
	return list
}

// withParameter replaces a Billing body's Parameter members: old → new
// text inside the JSON string.
func withParameter(body, old, new string) string { return strings.Replace(body, old, new, 1) }

// Billing's Parameter is priced member by member: the edition per month,
// each count per unit per month, per instance and term; a member the list
// does not price leaves the order without an estimate.
func TestEstimateOfBillingEditionsAndUnits(t *testing.T) {
	const (
		cfwMonth = 128_000 + // the instance
			800_000 + // Ultimate edition
			200*100 + // 200 Mbps of Internet border bandwidth
			2*50_000 + // 2 Gbps of VPC firewall
			20_000 + // log analysis on
			1000*1 + // 1000 GB of log storage
			500*10 + // 500 rules
			50*100 // 50 address templates
	)
	cases := []struct {
		name   string
		p      orders.Product
		params string
		drop   []string
		want   int64 // -1: no estimate
		lines  []string
	}{
		{"workload protection, the API document's example", orders.ProductBilling, orderstest.CWPParams, nil,
			5_000 + 50*100, []string{"p_yunjing", "p_yunjing.sv_yunjing_vas_la"}},
		{"cloud firewall ultimate with counts for 2 months", orders.ProductBilling, orderstest.CFWParams, nil,
			2 * cfwMonth, []string{"p_cloudfirewall", "p_cloudfirewall.sv_cloudfirewall_basic_ueps",
				"p_cloudfirewall.sv_cloudfirewall_extended_ates", "p_cloudfirewall.sv_cloudfirewall_extended_clasps",
				"p_cloudfirewall.sv_cloudfirewall_extended_clsesps", "p_cloudfirewall.sv_cloudfirewall_extended_ibtesps",
				"p_cloudfirewall.sv_cloudfirewall_extended_subs", "p_cloudfirewall.sv_cloudfirewall_extended_vpcbges"}},
		{"cloud firewall enterprise, 3 instances for a year", orders.ProductBilling,
			`{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","ZoneCode":"ap-guangzhou-1","PayMode":"PrePay",
			"Parameter":"{\"pid\":1002147,\"sv_cloudfirewall_basic_eeps\":1,\"sv_cloudfirewall_basic_ueps\":0}","Quantity":3,"Period":1,"PeriodUnit":"y"}`, nil,
			3 * 12 * (128_000 + 300_000), []string{"p_cloudfirewall", "p_cloudfirewall.sv_cloudfirewall_basic_eeps"}},
		{"workload protection for a year, the units as a number", orders.ProductBilling,
			withParameter(withParameter(orderstest.CWPParams, `\"50\"`, `120`), `"Period":1,"PeriodUnit":"m"`, `"Period":1,"PeriodUnit":"y"`), nil,
			12 * (5_000 + 120*100), []string{"p_yunjing", "p_yunjing.sv_yunjing_vas_la"}},
		{"a Parameter with no members that buy: the instance alone", orders.ProductBilling, orderstest.BillingParams, nil,
			128_000, []string{"p_cloudfirewall"}},
		{"a member nobody prices (nats) leaves no estimate", orders.ProductBilling,
			withParameter(orderstest.CFWParams, `\"sv_cloudfirewall_extended_nats\":0`, `\"sv_cloudfirewall_extended_nats\":2`), nil, -1, nil},
		{"an edition the list does not price leaves no estimate", orders.ProductBilling, orderstest.CFWParams,
			[]string{"p_cloudfirewall.sv_cloudfirewall_basic_ueps"}, -1, nil},
		{"a unit price missing leaves no estimate", orders.ProductBilling, orderstest.CWPParams,
			[]string{"p_yunjing.sv_yunjing_vas_la"}, -1, nil},
		{"units that are not a number leave no estimate", orders.ProductBilling,
			withParameter(orderstest.CWPParams, `\"50\"`, `\"lots\"`), nil, -1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := orders.EstimateOf(c.p, []byte(c.params), sandboxList(c.drop...), day)
			if err != nil {
				t.Fatal(err)
			}
			if c.want < 0 {
				unpriced := 0
				for _, l := range e.Lines {
					if l.Fen == nil {
						unpriced++
					}
				}
				if e.Priced() || e.String() != "no estimate" || unpriced != 1 {
					t.Fatalf("gave %s with %d unpriced lines: %+v", e, unpriced, e.Lines)
				}
				return
			}
			if !e.Priced() || e.TotalFen() != c.want {
				t.Fatalf("estimate %s, want %s: %+v", e, orders.FormatCNY(c.want), e.Lines)
			}
			var items []string
			for _, l := range e.Lines {
				items = append(items, l.Item)
			}
			if strings.Join(items, " ") != strings.Join(c.lines, " ") {
				t.Fatalf("lines %v, want %v", items, c.lines)
			}
		})
	}
	if orders.DimensionOf("p_cloudfirewall", "sv_cloudfirewall_basic_ueps") != orders.DimensionEdition ||
		orders.DimensionOf("p_yunjing", "sv_yunjing_vas_la") != orders.DimensionUnit ||
		orders.DimensionOf("p_cloudfirewall", "sv_cloudfirewall_extended_nats") != orders.DimensionUnit {
		t.Fatal("the registry's kinds")
	}
}

// TestPriceChangeVoidsApprovalOnlyWhenItChangesTheEstimate for a unit
// price: a Cloud Firewall order approved with 200 Mbps of border bandwidth
// stays approved when the price of a count it buys none of changes, and
// returns for approval, with both amounts, when the Mbps price changes.
func TestUnitPriceChangeVoidsApprovalOnlyWhenItChangesTheEstimate(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductBilling, RequiredApprovers: 1})
	requester := orderstest.NewUser(t, pool, "requester")
	approver := orderstest.NewUser(t, pool, "approver")
	d := orderstest.Draft(orders.ProductBilling, orderstest.NewAccount(t, pool))
	d.Params = []byte(orderstest.CFWParams)
	o, err := svc.Compose(ctx, requester, d)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = svc.Submit(ctx, requester, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	est, err := svc.EstimateFor(ctx, o.ID)
	if err != nil || est.String() != "21,580.00 CNY" {
		t.Fatalf("estimate on submit: %s %v", est, err)
	}
	if o, err = svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{Estimate: est.String()}); err != nil || o.Status != orders.StatusApproved {
		t.Fatalf("approve: %v %s", err, o.Status)
	}

	// Honeypots (pcs) are 0 in this order: their price does not touch it.
	pcs := orders.DimensionItem("p_cloudfirewall", "sv_cloudfirewall_extended_pcs")
	ch, err := svc.SetPriceList(ctx, admin, "honeypots up", pricesWith(t, svc, orders.PriceLineBilling, pcs, 99_00))
	if err != nil || len(ch.Returned) != 0 {
		t.Fatalf("unrelated unit price: %+v %v", ch, err)
	}
	if o, _ = svc.Get(ctx, o.ID); o.Status != orders.StatusApproved {
		t.Fatalf("a price the order does not use moved it to %s", o.Status)
	}

	// 200 Mbps at 2.00 instead of 1.00 CNY, for 2 months: 400.00 CNY more.
	mbps := orders.DimensionItem("p_cloudfirewall", "sv_cloudfirewall_extended_ibtesps")
	ch, err = svc.SetPriceList(ctx, admin, "bandwidth up", pricesWith(t, svc, orders.PriceLineBilling, mbps, 2_00))
	returnedForApproval(t, pool, svc, o, ch, err, "21,580.00 CNY", "21,980.00 CNY")
}
