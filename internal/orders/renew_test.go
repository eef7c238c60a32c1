package orders_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// succeed marks an order succeeded the only way tests can before the
// sending issue lands: with SQL.
func succeed(t *testing.T, pool db.Pool, id int64) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), "UPDATE orders SET status = 'succeeded' WHERE id = $1", id); err != nil {
		t.Fatal(err)
	}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRenewWAFSwitchesEachLineToItsRenewalCategory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	bob := orderstest.NewUser(t, pool, "requester")
	d := orderstest.Draft(orders.ProductWAF, orderstest.NewAccount(t, pool))
	// Two lines: a SaaS premium purchase and a CLB QPS pack change (which
	// carries its instance and deadline).
	d.Params = []byte(`{"Goods":[
		{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m",
		 "SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1]}},
		{"GoodsCategoryId":101212,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m",
		 "CurDeadline":"2026-02-28 17:38:59","InstanceId":"waf_clb_1","LabelTypes":["sv_wsm_waf_qps_ep_clb"],"LabelCounts":[2]}}]}`)
	o, err := svc.Compose(ctx, alice, d)
	if err != nil {
		t.Fatal(err)
	}

	// Not before it succeeded.
	if _, err := svc.Renew(ctx, bob, o.ID, orders.RenewInput{}); !kindOf(err).Conflicting() {
		t.Fatalf("renewed a draft: %v", err)
	}
	succeed(t, pool, o.ID)
	got, _ := svc.Get(ctx, o.ID)
	gaps, err := orders.RenewalGaps(got)
	if err != nil || strings.Join(gaps, ",") != "Goods[0].GoodsDetail.InstanceId" {
		t.Fatalf("gaps %v, %v", gaps, err)
	}
	// The first line's instance is unknown: the requester must say it.
	_, err = svc.Renew(ctx, bob, o.ID, orders.RenewInput{})
	if fe, ok := fault.AsFields(err); !ok || fe["Goods[0].GoodsDetail.InstanceId"].Key == "" || len(fe) != 1 {
		t.Fatalf("renew without the instance id: %v", err)
	}
	// Anyone with the requester role may renew, into a draft of their own.
	r, err := svc.Renew(ctx, bob, o.ID, orders.RenewInput{InstanceIDs: map[int]string{0: " waf_saas_1 "}})
	if err != nil {
		t.Fatal(err)
	}
	if r.RenewalOfID != o.ID || r.RequesterID != bob.UserID || r.Status != orders.StatusDraft || r.Region != o.Region ||
		!strings.HasPrefix(r.Title, "Renewal: ") {
		t.Fatalf("renewal %+v", r)
	}
	want := `{"Goods":[{"GoodsCategoryId":102376,"GoodsDetail":{"InstanceId":"waf_saas_1","LabelCounts":[1],` +
		`"LabelTypes":["sv_wsm_waf_package_premium"],"Pid":1000827,"SubProductCode":"sp_wsm_waf_premium","TimeSpan":1,"TimeUnit":"m"},` +
		`"GoodsNum":1,"RegionId":1},{"GoodsCategoryId":101211,"GoodsDetail":{"InstanceId":"waf_clb_1","LabelCounts":[2],` +
		`"LabelTypes":["sv_wsm_waf_qps_ep_clb"],"Pid":1001160,"SubProductCode":"sp_wsm_waf_qpsep_clb","TimeSpan":1,"TimeUnit":"m"},` +
		`"GoodsNum":1,"RegionId":1}]}`
	if string(r.Params) != want {
		t.Fatalf("renewal params\n got %s\nwant %s", r.Params, want)
	}
	events, _ := db.AuditEventsFor(ctx, pool, r.Subject())
	if len(events) != 1 || events[0].Action != "order.renewal_drafted" || events[0].Details["renewal_of"] != float64(o.ID) {
		t.Fatalf("events %+v", events)
	}
	// Approvers and auditors do not compose.
	if _, err := svc.Renew(ctx, orderstest.NewUser(t, pool, "approver"), o.ID, orders.RenewInput{}); kindOf(err) != fault.Refused {
		t.Fatalf("approver renewed: %v", err)
	}
}

func TestRenewWAFAddOnIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	d := orderstest.Draft(orders.ProductWAF, orderstest.NewAccount(t, pool))
	d.Params = []byte(`{"Goods":[{"GoodsCategoryId":1025564,"GoodsNum":1,"RegionId":1,"GoodsDetail":{
		"SubProductCode":"sp_wsm_waf_bot_protection","Pid":1016997,"InstanceId":"waf_1"}}]}`)
	o, err := svc.Compose(ctx, alice, d)
	if err != nil {
		t.Fatal(err)
	}
	succeed(t, pool, o.ID)
	got, _ := svc.Get(ctx, o.ID)
	if _, err := orders.RenewalGaps(got); !kindOf(err).Conflicting() {
		t.Fatalf("gaps of an add-on: %v", err)
	}
	if _, err := svc.Renew(ctx, alice, o.ID, orders.RenewInput{}); !kindOf(err).Conflicting() || !strings.Contains(err.Error(), "add-on") {
		t.Fatalf("renewed an add-on: %v", err)
	}
}

func TestRenewTCB(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)
	compose := func(params string) orders.Order {
		d := orderstest.Draft(orders.ProductTCB, acct)
		d.Params = []byte(params)
		o, err := svc.Compose(ctx, alice, d)
		if err != nil {
			t.Fatal(err)
		}
		succeed(t, pool, o.ID)
		o, _ = svc.Get(ctx, o.ID)
		return o
	}

	// A new environment: its id never came back, so the requester gives it.
	purchase := compose(`{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,
		"TimeSpan":1,"TimeUnit":"m","Alias":"cloud","ResourceTypes":["flexdb"],"EnvTags":[{"Key":"user","Value":"x"}]}`)
	if gaps, err := orders.RenewalGaps(purchase); err != nil || len(gaps) != 1 || gaps[0] != "ResourceId" {
		t.Fatalf("gaps %v %v", gaps, err)
	}
	if asks, err := orders.RenewalAsks(purchase); err != nil || len(asks) != 1 || asks[0].Line != -1 || asks[0].Label != "Environment to renew (ResourceId)" {
		t.Fatalf("asks %+v %v", asks, err)
	}
	if _, err := svc.Renew(ctx, alice, purchase.ID, orders.RenewInput{}); err == nil {
		t.Fatal("renewed without knowing the environment")
	}
	r, err := svc.Renew(ctx, alice, purchase.ID, orders.RenewInput{ResourceID: "cloud-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"CreateAndPay":true,"DealType":"renew","PackageId":"baas_personal","ProductType":"tcb-baas","ResourceId":"cloud-1","TimeSpan":1,"TimeUnit":"m"}`
	if string(r.Params) != want {
		t.Fatalf("renewal of a purchase\n got %s\nwant %s", r.Params, want)
	}

	// A change of plan renews the new plan in the same environment.
	modify := compose(`{"DealType":"modify","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,
		"ResourceId":"cloud-2","EnvId":"cloud-2","EnableExcess":false,"ModifyPackageId":"baas_team"}`)
	if gaps, err := orders.RenewalGaps(modify); err != nil || len(gaps) != 0 {
		t.Fatalf("gaps %v %v", gaps, err)
	}
	r, err = svc.Renew(ctx, alice, modify.ID, orders.RenewInput{})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, r.Params)
	if m["DealType"] != "renew" || m["PackageId"] != "baas_team" || m["ResourceId"] != "cloud-2" || m["ModifyPackageId"] != nil {
		t.Fatalf("renewal of a change %s", r.Params)
	}
}

// Renewing a Cloud Firewall purchase must renew its instance, never buy
// another: the draft is a RenewInstance (billing_renew) of the instance the
// answer named, with a ClientToken of its own, and nothing of it is a
// CreateInstance.
func TestRenewBillingDraftsRenewInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	o, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductBilling, orderstest.NewAccount(t, pool)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE orders SET status = 'succeeded', instance_ids = '{cfwi-bought1}' WHERE id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Renew(ctx, alice, o.ID, orders.RenewInput{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Product != orders.ProductBillingRenew || r.RenewalOfID != o.ID {
		t.Fatalf("renewal is %s of %d, want billing_renew of %d", r.Product, r.RenewalOfID, o.ID)
	}
	if a, _ := r.Product.Action(); a.Name != "RenewInstance" {
		t.Fatalf("renewal sends %s, want RenewInstance", a.Name)
	}
	if r.ClientToken == "" || r.ClientToken == o.ClientToken || decode(t, r.Params)["ClientToken"] != r.ClientToken {
		t.Fatalf("renewal token %q, original %q", r.ClientToken, o.ClientToken)
	}
	got := decode(t, r.Params)
	delete(got, "ClientToken")
	want := map[string]any{"ProductCode": "p_cloudfirewall", "SubProductCode": "sp_cloudfirewall_svv1",
		"RegionCode": "ap-guangzhou", "InstanceId": "cfwi-bought1"}
	if gj, wj := mustJSON(t, got), mustJSON(t, want); gj != wj {
		t.Fatalf("renewal params %s, want %s", gj, wj)
	}
	if !strings.Contains(r.Title, "cfwi-bought1") {
		t.Fatalf("title %q does not name the instance it renews", r.Title)
	}
	// A renewal of the renewal renews the same instance again.
	succeed(t, pool, r.ID)
	again, err := svc.Renew(ctx, alice, r.ID, orders.RenewInput{})
	if err != nil || again.Product != orders.ProductBillingRenew || decode(t, again.Params)["InstanceId"] != "cfwi-bought1" ||
		again.ClientToken == r.ClientToken {
		t.Fatalf("renewal of a renewal: %+v %v", again, err)
	}
}

// A purchase of several instances is renewed one instance per draft: the
// requester chooses which, among those it bought; an answer that named none
// leaves the id to be typed.
func TestRenewBillingOfSeveralInstancesAsksWhich(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	account := orderstest.NewAccount(t, pool)
	several, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductBilling, account))
	if err != nil {
		t.Fatal(err)
	}
	none, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductBilling, account))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE orders SET status = 'succeeded',
		instance_ids = CASE WHEN id = $1 THEN '{cfwi-a,cfwi-b}'::text[] ELSE '{}' END WHERE id IN ($1, $2)`, several.ID, none.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{several.ID, none.ID} {
		o, _ := svc.Get(ctx, id)
		if gaps, err := orders.RenewalGaps(o); err != nil || len(gaps) != 1 || gaps[0] != "InstanceId" {
			t.Fatalf("order %d: gaps %v, %v; want InstanceId asked for", id, gaps, err)
		}
		if _, err := svc.Renew(ctx, alice, id, orders.RenewInput{}); kindOf(err) != fault.Invalid {
			t.Fatalf("order %d renewed without naming its instance: %v", id, err)
		}
	}
	if _, err := svc.Renew(ctx, alice, several.ID, orders.RenewInput{InstanceID: "cfwi-elsewhere"}); kindOf(err) != fault.Invalid {
		t.Fatalf("renewed an instance the order did not buy: %v", err)
	}
	var titles []string
	for _, id := range []string{"cfwi-a", "cfwi-b"} {
		r, err := svc.Renew(ctx, alice, several.ID, orders.RenewInput{InstanceID: id})
		if err != nil {
			t.Fatal(err)
		}
		if decode(t, r.Params)["InstanceId"] != id || r.Product != orders.ProductBillingRenew {
			t.Fatalf("renewal of %s: %s %s", id, r.Product, r.Params)
		}
		titles = append(titles, r.Title)
	}
	if !strings.Contains(titles[0], "cfwi-a") || !strings.Contains(titles[1], "cfwi-b") {
		t.Fatalf("titles %q do not say which instance each renews", titles)
	}
	r, err := svc.Renew(ctx, alice, none.ID, orders.RenewInput{InstanceID: "cfwi-typed"})
	if err != nil || decode(t, r.Params)["InstanceId"] != "cfwi-typed" {
		t.Fatalf("typed instance: %v %v", r.Params, err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckStoresNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	acct := orderstest.NewAccount(t, pool)
	canon, err := svc.Check(ctx, orderstest.Draft(orders.ProductBilling, acct), orders.PreviewClientToken)
	if err != nil || !strings.Contains(string(canon), `"ClientToken":"`+orders.PreviewClientToken+`"`) {
		t.Fatalf("check: %s %v", canon, err)
	}
	bad := orderstest.Draft(orders.ProductTCB, acct)
	bad.Title = ""
	if _, err := svc.Check(ctx, bad, ""); kindOf(err) != fault.Invalid {
		t.Fatalf("check of a bad draft: %v", err)
	}
	var n int
	_ = pool.QueryRow(ctx, "SELECT count(*) FROM orders").Scan(&n)
	if n != 0 {
		t.Fatalf("check stored %d orders", n)
	}
}

// A single-line WAF purchase names its instance only in the answer; the
// renewal takes it from there instead of asking. With two lines the one
// instance in the answer could belong to either, so the form still asks.
func TestRenewWAFTakesTheInstanceFromTheAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	account := orderstest.NewAccount(t, pool)
	one, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductWAF, account))
	if err != nil {
		t.Fatal(err)
	}
	two := orderstest.Draft(orders.ProductWAF, account)
	var body map[string][]any
	_ = json.Unmarshal(two.Params, &body)
	body["Goods"] = append(body["Goods"], body["Goods"][0])
	two.Params, _ = json.Marshal(body)
	twoLines, err := svc.Compose(ctx, alice, two)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{one.ID, twoLines.ID} {
		if _, err := pool.Exec(ctx, `UPDATE orders SET status = 'succeeded', instance_ids = '{waf_from_answer}' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := svc.Get(ctx, one.ID)
	if gaps, err := orders.RenewalGaps(got); err != nil || len(gaps) != 0 {
		t.Fatalf("single line: gaps %v, %v; the answer names the instance", gaps, err)
	}
	r, err := svc.Renew(ctx, alice, one.ID, orders.RenewInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Params), `"InstanceId":"waf_from_answer"`) {
		t.Fatalf("renewal params %s", r.Params)
	}
	got, _ = svc.Get(ctx, twoLines.ID)
	if gaps, _ := orders.RenewalGaps(got); len(gaps) != 2 {
		t.Fatalf("two lines: gaps %v, want both InstanceIds asked for", gaps)
	}
	// The registry's renewal says what each gap asks for, and an answer to
	// each ask fills it.
	asks, err := orders.RenewalAsks(got)
	if err != nil || len(asks) != 2 || asks[1].Line != 1 || asks[1].Param != "InstanceId" ||
		asks[1].Label != "Instance of Goods entry 2 (InstanceId)" {
		t.Fatalf("asks %+v, %v", asks, err)
	}
	var in orders.RenewInput
	for i, a := range asks {
		in.Answer(a, fmt.Sprintf("waf_line_%d", i))
	}
	r, err = svc.Renew(ctx, alice, twoLines.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Params), `"InstanceId":"waf_line_1"`) {
		t.Fatalf("renewal params %s", r.Params)
	}
}
