package orders_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// Parameters whose bytes say something other than what the service will
// read are refused at compose: approvers must judge what will happen.
func TestComposeRefusesParametersThatDoNotRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)
	for _, tt := range []struct {
		name    string
		product orders.Product
		change  func(string) string
	}{
		{"TCB Source null", orders.ProductTCB, func(p string) string { return strings.Replace(p, `{`, `{"Source":null,`, 1) }},
		{"Billing ProjectId -0", orders.ProductBilling, func(p string) string { return strings.Replace(p, `{`, `{"ProjectId":-0,`, 1) }},
		{"WAF ResourceId null", orders.ProductWAF, func(p string) string {
			return strings.Replace(p, `"GoodsDetail":{`, `"GoodsDetail":{"ResourceId":null,`, 1)
		}},
	} {
		d := orderstest.Draft(tt.product, acct)
		d.Params = []byte(tt.change(string(d.Params)))
		if string(d.Params) == string(orderstest.Draft(tt.product, acct).Params) {
			t.Fatalf("%s: the change did not apply", tt.name)
		}
		_, err := svc.Compose(ctx, alice, d)
		var fe fault.Fields
		if !errors.As(err, &fe) || fe["params"].Key == "" {
			t.Errorf("%s: compose answered %v; it must refuse bytes that do not round-trip", tt.name, err)
		}
	}
	// The same drafts as written by the forms compose.
	for _, p := range orders.Products {
		if _, err := svc.Compose(ctx, alice, orderstest.Draft(p, acct)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
