package sending

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// Renewing, changing or adding to an instance or environment the account
// does not own is refused by the sandbox itself (ResourceNotFound): the
// order fails with that code and nothing is bought. The console's own rules
// pass these bodies: only the sandbox's memory of what it sold refuses them.
func TestRenewalOfAnIDTheAccountDoesNotOwnIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	account := orderstest.NewAccount(t, f.pool)
	cases := []struct {
		product orders.Product
		params  string
	}{
		{orders.ProductBillingRenew, strings.Replace(orderstest.BillingRenewParams, "cfwi-0a1b2c3d", "cfwi-nobodys", 1)},
		{orders.ProductWAF, `{"Goods":[{"GoodsCategoryId":102376,"GoodsNum":1,"RegionId":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m","SubProductCode":"sp_wsm_waf_premium","Pid":1000827,"InstanceId":"waf_nobodys"}}]}`},
		{orders.ProductTCB, `{"DealType":"renew","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true,"TimeSpan":1,"TimeUnit":"m","ResourceId":"cloud-nobodys"}`},
	}
	for _, tc := range cases {
		a := orderstest.NewUser(t, f.pool, "requester")
		d := orderstest.Draft(tc.product, account)
		d.Params = []byte(tc.params)
		o, err := f.svc.Compose(ctx, a, d)
		if err != nil {
			t.Fatalf("%s: the console's rules refuse the body: %v", tc.product, err)
		}
		o = orderstest.Move(t, f.pool, f.svc, a, o, orders.StatusPendingApproval, orders.StatusApproved)
		if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
			t.Fatal(err)
		}
		if got := f.get(t, o.ID); got.Status != orders.StatusFailed || got.Sent.ErrorCode != "ResourceNotFound" || !strings.Contains(got.Sent.ErrorMessage, "nobodys") {
			t.Errorf("%s renewal of an id the account does not own: %s %s %q, want failed ResourceNotFound naming it", tc.product, got.Status, got.Sent.ErrorCode, got.Sent.ErrorMessage)
		}
	}
	if calls, bought := f.purchases(); calls != len(cases) || bought != 0 {
		t.Fatalf("%d calls, %d purchases; want one refused call each, nothing bought", calls, bought)
	}
}
