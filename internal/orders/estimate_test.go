package orders_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

var day = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

func entry(line, item string, fen int64, from time.Time) orders.PriceEntry {
	return orders.PriceEntry{Line: line, Item: item, MonthlyFen: fen, EffectiveFrom: from}
}

// The seeded list is the sandbox's default table, item for item: that is
// what makes sandbox totals equal estimates out of the box.
func TestSeedPricesMatchSandbox(t *testing.T) {
	pool := dbtest.New(t)
	list, err := orders.NewService(pool).CurrentPriceList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := list.InForce(day)
	want := tcsim.DefaultPrices()
	for line, items := range want {
		for item, fen := range items {
			if got[line][item] != fen {
				t.Errorf("%s/%s: seeded %d fen, sandbox charges %d", line, item, got[line][item], fen)
			}
			if _, ok := got[line][item]; !ok {
				t.Errorf("%s/%s: not seeded", line, item)
			}
		}
		if len(got[line]) != len(items) {
			t.Errorf("%s: seeded %d items, sandbox has %d", line, len(got[line]), len(items))
		}
	}
}

func TestEstimateOfEachProductLine(t *testing.T) {
	list := orders.PriceList{Version: 7, Entries: []orders.PriceEntry{
		entry("waf", "premium", 300_00, day.AddDate(-1, 0, 0)),
		entry("waf", "domain", 50_00, day.AddDate(-1, 0, 0)),
		entry("billing", "p_cloudfirewall", 1_000_00, day.AddDate(-1, 0, 0)),
		entry("tcb", "baas_personal", 19_90, day.AddDate(-1, 0, 0)),
		entry("tcb", "baas_team", 99_90, day.AddDate(-1, 0, 0)),
	}}
	cases := []struct {
		name    string
		p       orders.Product
		params  string
		want    int64
		lines   int
		unknown bool
	}{
		{"waf premium one month", orders.ProductWAF, orderstest.WAFParams, 300_00, 1, false},
		{"waf premium and 3 domain packs for a year", orders.ProductWAF, `{"Goods":[
			{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"y","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceName":"shop","AutoRenewFlag":1,"RealRegion":1,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1]}},
			{"GoodsCategoryId":102372,"GoodsNum":3,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"y","SubProductCode":"sp_wsm_waf_domain","Pid":1000834,"LabelTypes":["sv_wsm_waf_domain"],"LabelCounts":[3]}}]}`,
			300_00*12 + 3*50_00*12, 2, false},
		{"cloud firewall default term", orders.ProductBilling, orderstest.BillingParams, 1_000_00, 1, false},
		{"cloud firewall 2 instances for 3 months", orders.ProductBilling, strings.Replace(orderstest.BillingParams, `"PayMode"`, `"Quantity":2,"Period":3,"PeriodUnit":"m","PayMode"`, 1), 2 * 3 * 1_000_00, 1, false},
		{"cloud firewall renewal", orders.ProductBillingRenew, orderstest.BillingRenewParams, 1_000_00, 1, false},
		{"cloudbase personal for a month", orders.ProductTCB, orderstest.TCBParams, 19_90, 1, false},
		{"cloudbase unpriced package", orders.ProductTCB, strings.Replace(orderstest.TCBParams, "baas_personal", "education_demo", 1), 0, 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := orders.EstimateOf(c.p, []byte(c.params), list, day)
			if err != nil {
				t.Fatal(err)
			}
			if len(e.Lines) != c.lines || e.PriceList != 7 {
				t.Fatalf("lines %d version %d, want %d lines of version 7", len(e.Lines), e.PriceList, c.lines)
			}
			if c.unknown {
				if e.Priced() || e.String() != "no estimate" || e.Lines[0].Fen != nil {
					t.Fatalf("unpriced line gave %s", e)
				}
				return
			}
			if !e.Priced() || e.TotalFen() != c.want {
				t.Fatalf("estimate %s, want %s", e, orders.FormatCNY(c.want))
			}
		})
	}
}

func TestPriceTakesEffectOnItsDate(t *testing.T) {
	list := orders.PriceList{Entries: []orders.PriceEntry{
		entry("tcb", "baas_personal", 10_00, day.AddDate(0, -1, 0)),
		entry("tcb", "baas_personal", 12_00, day.AddDate(0, 0, 1)),
	}}
	if fen, _ := list.Monthly("tcb", "baas_personal", day); fen != 10_00 {
		t.Fatalf("today %d", fen)
	}
	if fen, _ := list.Monthly("tcb", "baas_personal", day.AddDate(0, 0, 1)); fen != 12_00 {
		t.Fatalf("tomorrow %d", fen)
	}
	if _, ok := list.Monthly("tcb", "baas_personal", day.AddDate(0, -2, 0)); ok {
		t.Fatal("priced before any row took effect")
	}
}

func TestFormatAndParseCNY(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00 CNY", 5: "0.05 CNY", 1536000: "15,360.00 CNY", 123456789: "1,234,567.89 CNY"} {
		if got := orders.FormatCNY(fen); got != want {
			t.Errorf("FormatCNY(%d) = %q, want %q", fen, got, want)
		}
	}
	for in, want := range map[string]int64{"3280": 328000, "3280.5": 328050, "0.01": 1, "19.90": 1990} {
		if got, ok := orders.ParseCNY(in); !ok || got != want {
			t.Errorf("ParseCNY(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "-1", "1.234", "1e3", "1,000", "0x10", ".5", "5.", "99999999999999"} {
		if _, ok := orders.ParseCNY(bad); ok {
			t.Errorf("ParseCNY(%q) accepted", bad)
		}
	}
}

func TestPriceCSVRoundTripsAndRefusesBadRowsWhole(t *testing.T) {
	// Billing's editions and per-unit Parameter members are rows like any
	// other, their item "<ProductCode>.<member>"; a unit price may be a
	// single fen.
	entries := []orders.PriceEntry{entry("waf", "premium", 328000, day), entry("tcb", "baas_team", 9990, day),
		entry("billing", "p_cloudfirewall.sv_cloudfirewall_basic_ueps", 800000, day),
		entry("billing", "p_cloudfirewall.sv_cloudfirewall_extended_clsesps", 1, day),
		entry("billing", "p_yunjing.sv_yunjing_vas_la", 100, day.AddDate(0, 1, 0))}
	var b strings.Builder
	if err := orders.WritePriceCSV(&b, entries); err != nil {
		t.Fatal(err)
	}
	back, errs := orders.ParsePriceCSV(strings.NewReader(b.String()))
	if errs != nil || !slices.Equal(back, entries) {
		t.Fatalf("round trip: %v %v\n%s", back, errs, b.String())
	}
	if !strings.Contains(b.String(), "billing,p_cloudfirewall.sv_cloudfirewall_extended_clsesps,0.01,") {
		t.Fatalf("a one-fen unit price written as\n%s", b.String())
	}
	bad := "line,item,monthly_cny,effective_from\n" +
		"waf,premium,3280.00,2026-01-01\n" +
		"cdn,x,1,2026-01-01\n" +
		"waf,enterprise,12.345,2026-01-01\n" +
		"waf,ultimate,10,yesterday\n" +
		"waf,premium,3000,2026-01-01\n"
	got, errs := orders.ParsePriceCSV(strings.NewReader(bad))
	if got != nil {
		t.Fatalf("a list with bad rows gave %d entries", len(got))
	}
	rows := map[int]bool{}
	for _, e := range errs {
		rows[e.Row] = true
	}
	if !rows[3] || !rows[4] || rows[1] {
		t.Fatalf("row errors %v", errs)
	}
	// Line 2's unknown product line and row 5's repeated date are list
	// checks, reported once the rows parse.
	_, errs = orders.ParsePriceCSV(strings.NewReader("line,item,monthly_cny,effective_from\nwaf,premium,1,2026-01-01\ncdn,x,1,2026-01-01\nwaf,premium,2,2026-01-01\n"))
	if len(errs) != 2 || errs[0].Row != 2 || errs[1].Row != 3 || !strings.Contains(errs[1].Msg.String(), "row 1") {
		t.Fatalf("list errors %v", errs)
	}
	if _, errs := orders.ParsePriceCSV(strings.NewReader("a,b\n")); len(errs) != 1 || errs[0].Row != 0 {
		t.Fatalf("header errors %v", errs)
	}
}

// returnedForApproval checks that the price change ch (err its error)
// returned o, and only o, for approval, auditing the old and new amounts;
// it returns o as it is now.
func returnedForApproval(t *testing.T, pool db.Pool, svc *orders.Service, o orders.Order, ch orders.PriceChange, err error, old, now string) orders.Order {
	t.Helper()
	if err != nil || len(ch.Returned) != 1 || ch.Returned[0] != o.ID {
		t.Fatalf("change: %+v %v", ch, err)
	}
	ctx := context.Background()
	if o, _ = svc.Get(ctx, o.ID); o.Status != orders.StatusPendingApproval {
		t.Fatalf("order is %s after its price changed", o.Status)
	}
	var details string
	if err := pool.QueryRow(ctx, `SELECT details::text FROM audit_events WHERE action = $1 AND subject = $2`,
		db.ActionOrderEstimateChanged, o.Subject()).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(details, `"old_estimate": "`+old+`"`) || !strings.Contains(details, `"new_estimate": "`+now+`"`) {
		t.Fatalf("audit details %s", details)
	}
	return o
}

// pricesWith is the current list with one item's price replaced.
func pricesWith(t *testing.T, svc *orders.Service, line, item string, fen int64) []orders.PriceEntry {
	t.Helper()
	list, err := svc.CurrentPriceList(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := append([]orders.PriceEntry(nil), list.Entries...)
	for i := range out {
		if out[i].Line == line && out[i].Item == item {
			out[i].MonthlyFen = fen
		}
	}
	return out
}

func TestPriceChangeVoidsApprovalOnlyWhenItChangesTheEstimate(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	svc := orders.NewService(pool)
	admin := orderstest.NewUser(t, pool, "admin")
	setPolicy(t, pool, svc, orders.PolicyInput{Product: orders.ProductTCB, RequiredApprovers: 1})
	requester := orderstest.NewUser(t, pool, "requester")
	approver := orderstest.NewUser(t, pool, "approver")
	o := submitted(t, svc, requester, orders.ProductTCB, orderstest.NewAccount(t, pool))

	est, err := svc.EstimateFor(ctx, o.ID)
	if err != nil || est.String() != "19.90 CNY" {
		t.Fatalf("estimate on submit: %s %v", est, err)
	}
	o, err = svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{Estimate: est.String()})
	if err != nil || o.Status != orders.StatusApproved {
		t.Fatalf("approve: %v %s", err, o.Status)
	}

	// A change that does not touch this order's price: still approved.
	ch, err := svc.SetPriceList(ctx, admin, "cheaper team plan", pricesWith(t, svc, "tcb", "baas_team", 5000))
	if err != nil || len(ch.Returned) != 0 {
		t.Fatalf("unrelated change: %+v %v", ch, err)
	}
	if o, _ = svc.Get(ctx, o.ID); o.Status != orders.StatusApproved {
		t.Fatalf("unrelated price change moved the order to %s", o.Status)
	}

	// A change that does: back for approval, with old and new amounts.
	ch, err = svc.SetPriceList(ctx, admin, "personal up", pricesWith(t, svc, "tcb", "baas_personal", 2490))
	o = returnedForApproval(t, pool, svc, o, ch, err, "19.90 CNY", "24.90 CNY")
	var changes int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1`, db.ActionPriceListChanged).Scan(&changes); err != nil || changes != 2 {
		t.Fatalf("price list changes audited: %d %v", changes, err)
	}

	// The old approval no longer counts; approving the old amount is
	// refused, naming both; the same approver may approve the new one.
	st, err := svc.ApprovalState(ctx, approver, o.ID)
	if err != nil || st.Approvals != 0 {
		t.Fatalf("approvals after the change: %d %v", st.Approvals, err)
	}
	_, err = svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{Estimate: "19.90 CNY"})
	if fault.KindOf(err) != fault.Conflict || !strings.Contains(err.Error(), "19.90 CNY") || !strings.Contains(err.Error(), "24.90 CNY") {
		t.Fatalf("approving the old amount: %v", err)
	}
	o, err = svc.Approve(ctx, approver, o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{Estimate: "24.90 CNY"})
	if err != nil || o.Status != orders.StatusApproved {
		t.Fatalf("approving the new amount: %v %s", err, o.Status)
	}
}

func TestSetPriceListIsForAdminsAndRefusesBadListsWhole(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	svc := orders.NewService(pool)
	before, _ := svc.CurrentPriceList(ctx)
	if _, err := svc.SetPriceList(ctx, orderstest.NewUser(t, pool, "approver"), "", before.Entries); err == nil {
		t.Fatal("an approver changed the price list")
	}
	bad := append(pricesWith(t, svc, "waf", "premium", 1), entry("cdn", "x", 1, day))
	_, err := svc.SetPriceList(ctx, orderstest.NewUser(t, pool, "admin"), "", bad)
	var pe *orders.PriceListErrors
	if !errors.As(err, &pe) || len(pe.Rows) != 1 || pe.Rows[0].Row != len(bad) {
		t.Fatalf("bad list: %v", err)
	}
	after, _ := svc.CurrentPriceList(ctx)
	if after.Version != before.Version {
		t.Fatalf("a refused list made version %d", after.Version)
	}
}
