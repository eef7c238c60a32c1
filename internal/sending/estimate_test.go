package sending

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// In the sandbox, what a send is charged is the order's estimate: the
// sandbox charges from the table the console's seeded list holds. Every
// product's realistic body, and Billing's examples whose Parameter buys an
// edition and units (Cloud Firewall as the form builds it, the API
// document's Workload Protection).
func TestSandboxChargesTheEstimate(t *testing.T) {
	t.Parallel()
	type example struct {
		name   string
		p      orders.Product
		params string
	}
	var examples []example
	for _, p := range orders.Products {
		examples = append(examples, example{string(p), p, ""})
	}
	examples = append(examples,
		example{"cloud firewall edition and units", orders.ProductBilling, orderstest.CFWParams},
		example{"workload protection log analytics", orders.ProductBilling, orderstest.CWPParams})
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			o := approvedWith(t, f, ex.p, ex.params, "")
			est, err := f.svc.EstimateFor(context.Background(), o.ID)
			if err != nil || !est.Priced() {
				t.Fatalf("estimate %s %v", est, err)
			}
			if ex.params != "" && len(est.Lines) < 2 {
				t.Fatalf("the Parameter's members were not priced: %+v", est.Lines)
			}
			if err := f.sender.Send(context.Background(), o.ID, o.ParamsSHA256); err != nil {
				t.Fatal(err)
			}
			calls := f.sim.Calls()
			if len(calls) != 1 || !calls[0].Bought || calls[0].Charged != est.TotalFen() {
				t.Fatalf("charged %d, estimated %s (%d fen)", calls[0].Charged, est, est.TotalFen())
			}
		})
	}
}

// approvedWith is an approved order of p, with params when not empty (and
// region, when not empty, instead of the draft's).
func approvedWith(t *testing.T, f *fixture, p orders.Product, params, region string) orders.Order {
	t.Helper()
	if params == "" {
		return orderstest.Approved(t, f.pool, f.svc, p)
	}
	a := orderstest.NewUser(t, f.pool, "requester")
	d := orderstest.Draft(p, orderstest.NewAccount(t, f.pool))
	d.Params = []byte(params)
	if region != "" {
		d.Region = region
	}
	o, err := f.svc.Compose(context.Background(), a, d)
	if err != nil {
		t.Fatal(err)
	}
	return orderstest.Move(t, f.pool, f.svc, a, o, orders.StatusPendingApproval, orders.StatusApproved)
}

// The sender prices the order again before the call: when the list in
// force now gives another amount than the one approved (here a version
// written behind the service's back, as a future-dated price arriving on
// its day would), nothing is sent and the order returns for approval.
func TestSendRechecksTheEstimate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	list, err := f.svc.CurrentPriceList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries := append([]orders.PriceEntry(nil), list.Entries...)
	entries = append(entries, orders.PriceEntry{Line: orders.PriceLineTCB, Item: "baas_personal", MonthlyFen: 2990,
		EffectiveFrom: time.Now().UTC().Truncate(24 * time.Hour)})
	if err := db.InTx(ctx, f.pool, func(tx pgx.Tx) error {
		_, err := db.InsertPriceList(ctx, tx, 0, "behind the service's back", entries)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.purchases(); n != 0 {
		t.Fatalf("%d calls sent for an amount nobody approved", n)
	}
	got := f.get(t, o.ID)
	if got.Status != orders.StatusPendingApproval {
		t.Fatalf("order is %s", got.Status)
	}
	est, _ := f.svc.EstimateFor(ctx, o.ID)
	if est.String() != "29.90 CNY" {
		t.Fatalf("stored estimate %s", est)
	}
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1 AND subject = $2
		AND details->>'old_estimate' = '19.90 CNY' AND details->>'new_estimate' = '29.90 CNY'`,
		db.ActionOrderEstimateChanged, o.Subject()).Scan(&n); err != nil || n != 1 {
		t.Fatalf("audit events %d %v", n, err)
	}
}
