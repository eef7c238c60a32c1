package sending

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi"
)

// wafTwoLines buys a Premium edition and two domain packs for a month, not
// renewing automatically: two Goods lines, one new instance.
const wafTwoLines = `{"Goods":[
	{"GoodsCategoryId":102375,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceName":"shop","AutoRenewFlag":0,"RealRegion":1,"LabelTypes":["sv_wsm_waf_package_premium"],"LabelCounts":[1]}},
	{"GoodsCategoryId":102372,"GoodsNum":2,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_domain","Pid":1000834,"LabelTypes":["sv_wsm_waf_domain"],"LabelCounts":[2]}}]}`

// expiriesOf lists what the console knows an order bought.
func expiriesOf(t *testing.T, f *fixture, orderID int64) []db.InstanceExpiry {
	t.Helper()
	rows, err := f.pool.Query(context.Background(), `SELECT account_id, target FROM instance_expiries WHERE bought_by_order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var keys [][2]any
	for rows.Next() {
		var acct int64
		var target string
		if err := rows.Scan(&acct, &target); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, [2]any{acct, target})
	}
	rows.Close()
	var out []db.InstanceExpiry
	for _, k := range keys {
		out = append(out, expiryOf(t, f.pool, k[0].(int64), k[1].(string)))
	}
	return out
}

func billedEvents(t *testing.T, f *fixture, e db.InstanceExpiry) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1 AND subject = $2 AND details->>'from_bill' = 'true'`,
		db.ActionInstanceExpiryRecorded, "instance_expiry:"+itoa(e.ID)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCloudBaseExpiryComesFromTheBill: CreateBillDeal answers only a
// RequestId, so a new environment's expiry is unknown when the purchase
// succeeds; the bill names the environment and its term, and from it the
// console records the expiry (from the success, by the bill's month) and,
// the account's lead time before it, drafts the environment's renewal.
func TestCloudBaseExpiryComesFromTheBill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	o = f.get(t, o.ID)
	if o.Status != orders.StatusSucceeded || len(expiriesOf(t, f, o.ID)) != 0 {
		t.Fatalf("purchase %s; before the bill the console knows %d expiries, want none", o.Status, len(expiriesOf(t, f, o.ID)))
	}
	if b, err := f.sender.LookUpBilled(ctx, o.ID, BillConfig{}, time.Now()); err != nil || b.Status != BillFound {
		t.Fatalf("bill %+v, %v", b, err)
	}
	got := expiriesOf(t, f, o.ID)
	if len(got) != 1 {
		t.Fatalf("after the bill: %d expiries, want the one environment", len(got))
	}
	e := got[0]
	want := o.StatusChangedAt.AddDate(0, 1, 0)
	if e.Product != string(orders.ProductTCB) || e.Target == "" || !e.ExpiresAt.Equal(want) || !e.TermStart.Equal(o.StatusChangedAt) || e.AutoRenew {
		t.Fatalf("expiry %+v, want the environment a month after %s", e, o.StatusChangedAt)
	}
	if n := billedEvents(t, f, e); n != 1 {
		t.Fatalf("%d from_bill events, want 1", n)
	}
	// Looking the bill up again (it is found already) changes nothing.
	if _, err := f.sender.LookUpBilled(ctx, o.ID, BillConfig{}, time.Now()); err != nil || billedEvents(t, f, e) != 1 {
		t.Fatalf("a second lookup: %v, %d events", err, billedEvents(t, f, e))
	}

	// 30 days before (the default lead), the renewal is drafted for it.
	drafted, err := f.svc.DraftDueRenewals(ctx, e.ExpiresAt.AddDate(0, 0, -30))
	if err != nil || len(drafted.Drafted) != 1 {
		t.Fatalf("drafted %v (skipped %d), err %v; want one", drafted.Drafted, drafted.Skipped, err)
	}
	r := f.get(t, drafted.Drafted[0])
	var req tcapi.CreateBillDealRequest
	if err := json.Unmarshal(r.Params, &req); err != nil || tcapi.Deref(req.DealType) != "renew" || tcapi.Deref(req.ResourceId) != e.Target {
		t.Fatalf("renewal params %s, want a renew of %s", r.Params, e.Target)
	}
}

// TestBillTermDifferentFromTheOrdersMovesTheExpiry: on a controlled
// clock, a Cloud Firewall purchase for a month records its expiry a month
// after it succeeded; a bill saying the deal ran three months moves it to
// three months after the same start; a bill of the order after a later
// order moved the expiry changes nothing.
func TestBillTermDifferentFromTheOrdersMovesTheExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bought := time.Date(2026, 1, 31, 9, 0, 0, 0, time.UTC)
	f := newFixtureOn(t, func(s *orders.Service) *orders.Service { return s.WithClock(func() time.Time { return bought }) })
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductBilling)
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	o = f.get(t, o.ID)
	id := o.Sent.InstanceIDs[0]
	e := expiryOf(t, f.pool, o.AccountID, id)
	if !e.ExpiresAt.Equal(bought.AddDate(0, 1, 0)) || !e.TermStart.Equal(bought) {
		t.Fatalf("from the order: %+v, want a month from %s", e, bought)
	}
	record := func(deals ...orders.BilledDeal) {
		t.Helper()
		if err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error { return f.svc.RecordBilledExpiries(ctx, tx, o, deals) }); err != nil {
			t.Fatal(err)
		}
	}
	// The same term: nothing to change, nothing recorded.
	record(orders.BilledDeal{Name: o.Sent.BillingOrderID, ResourceIDs: []string{id}, TimeSpan: 1, TimeUnit: "m"})
	if got := expiryOf(t, f.pool, o.AccountID, id); !got.ExpiresAt.Equal(e.ExpiresAt) || billedEvents(t, f, got) != 0 {
		t.Fatalf("a bill of the same term moved the expiry to %s", got.ExpiresAt)
	}
	// Three months on the bill: from the same start.
	record(orders.BilledDeal{Name: o.Sent.BillingOrderID, ResourceIDs: []string{id}, TimeSpan: 3, TimeUnit: "m"})
	got := expiryOf(t, f.pool, o.AccountID, id)
	if want := bought.AddDate(0, 3, 0); !got.ExpiresAt.Equal(want) || got.LastOrderID != o.ID || billedEvents(t, f, got) != 1 {
		t.Fatalf("after a 3-month bill: %+v, want %s with one from_bill event", got, want)
	}
	// A term that is not whole units says nothing.
	record(orders.BilledDeal{Name: o.Sent.BillingOrderID, ResourceIDs: []string{id}, TimeSpan: 1.5, TimeUnit: "m"})
	if again := expiryOf(t, f.pool, o.AccountID, id); !again.ExpiresAt.Equal(got.ExpiresAt) {
		t.Fatalf("a 1.5-month bill moved the expiry to %s", again.ExpiresAt)
	}
	// A later order moved it: this order's bill is older news.
	renewal := approvedWith(t, f, orders.ProductBillingRenew, `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou","InstanceId":"`+id+`","Period":1,"PeriodUnit":"m"}`, "")
	if _, err := f.pool.Exec(ctx, `UPDATE instance_expiries SET last_order_id = $1 WHERE id = $2`, renewal.ID, got.ID); err != nil {
		t.Fatal(err)
	}
	record(orders.BilledDeal{Name: o.Sent.BillingOrderID, ResourceIDs: []string{id}, TimeSpan: 6, TimeUnit: "m"})
	if after := expiryOf(t, f.pool, o.AccountID, id); !after.ExpiresAt.Equal(got.ExpiresAt) {
		t.Fatalf("a stale bill moved the expiry to %s", after.ExpiresAt)
	}
}
