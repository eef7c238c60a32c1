package orders_test

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// A WAF renewal (category 102376) of the premium edition, naming no instance.
var wafRenewalWithoutInstance = strings.Replace(orderstest.WAFParams, `"GoodsCategoryId":102375`, `"GoodsCategoryId":102376`, 1)

const wafInstancePath = "Goods[0].GoodsDetail.InstanceId"

func wantInstanceRefused(t *testing.T, what string, err error) {
	t.Helper()
	fe, ok := fault.AsFields(err)
	if !ok {
		t.Fatalf("%s: err = %v, want field errors", what, err)
	}
	if !strings.Contains(fe[wafInstancePath].String(), "is required to renew or change an instance") {
		t.Fatalf("%s: field errors %v lack %s", what, fe, wafInstancePath)
	}
}

// The rule that a WAF renewal or change names its instance is the domain's:
// every path that makes an order obeys it, not only the form.
func TestWAFRenewalWithoutInstanceIsRefusedOnEveryPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)

	d := orderstest.Draft(orders.ProductWAF, acct)
	d.Params = []byte(wafRenewalWithoutInstance)
	_, err := svc.Compose(ctx, alice, d)
	wantInstanceRefused(t, "compose", err)
	_, err = svc.Check(ctx, d, orders.PreviewClientToken)
	wantInstanceRefused(t, "check", err)

	// It is listed with the API's own refusals, not after them.
	noRegion := d
	noRegion.Region = ""
	_, err = svc.Compose(ctx, alice, noRegion)
	wantInstanceRefused(t, "compose without a region", err)
	if fe, _ := fault.AsFields(err); fe["Region"].Key == "" {
		t.Fatalf("compose without a region: %v lacks the Region error", fe)
	}

	// A change of configuration (102377) needs the instance too.
	mod := d
	mod.Params = []byte(strings.Replace(orderstest.WAFParams, `"GoodsCategoryId":102375`, `"GoodsCategoryId":102377`, 1))
	mod.Params = []byte(strings.Replace(string(mod.Params), `"TimeSpan":1`, `"CurDeadline":"2030-01-01 00:00:00","TimeSpan":1`, 1))
	_, err = svc.Compose(ctx, alice, mod)
	wantInstanceRefused(t, "compose a change", err)

	// Naming the instance is enough.
	named := d
	named.Params = []byte(strings.Replace(wafRenewalWithoutInstance, `"TimeSpan":1`, `"InstanceId":"waf_000001","TimeSpan":1`, 1))
	renewal, err := svc.Compose(ctx, alice, named)
	if err != nil {
		t.Fatalf("compose a renewal naming its instance: %v", err)
	}

	// An edit may not take the instance away.
	_, err = svc.Update(ctx, alice, renewal.ID, renewal.Version, d)
	wantInstanceRefused(t, "edit", err)

	// Nor may a clone of an order stored before the rule held (here: by SQL).
	if _, err := pool.Exec(ctx, `UPDATE orders SET params = $2, params_sha256 = $3, version = version + 1 WHERE id = $1`,
		renewal.ID, []byte(wafRenewalWithoutInstance), orders.Hash([]byte(wafRenewalWithoutInstance))); err != nil {
		t.Fatal(err)
	}
	var before int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Clone(ctx, alice, renewal.ID)
	wantInstanceRefused(t, "clone", err)
	var after int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("a refused clone stored an order: %d orders, then %d", before, after)
	}

	// A new purchase names no instance, and needs none.
	if _, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductWAF, acct)); err != nil {
		t.Fatalf("compose a new purchase: %v", err)
	}
}
