package accounts_test

import (
	"context"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// An order form offers, and compose accepts, only accounts that can send now.
func TestOrdersUseOnlyUsableAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false) // not sandbox mode
	stored := f.create(t, "Main", "")
	sandbox, _, err := f.service(t, keyring(t, "k1", masterKey1, nil), true).EnsureSandboxAccount(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	env, err := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "From env", KeySource: accounts.KeysFromEnvironment})
	if err != nil {
		t.Fatal(err)
	}
	disabled := f.create(t, "Old", "")
	if _, err := f.svc.SetDisabled(ctx, admin, disabled.ID, true); err != nil {
		t.Fatal(err)
	}

	svc := orders.NewService(f.pool).WithAccounts(f.svc)
	listed, err := svc.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].ID != stored.ID {
		t.Fatalf("form offers %+v, want only %q", listed, stored.Name)
	}
	alice := orderstest.NewUser(t, f.pool, "requester")
	for _, id := range []int64{sandbox.ID, env.ID, disabled.ID, 999999} {
		_, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, id))
		if fe, ok := fault.AsFields(err); !ok || fe["account"].Key == "" {
			t.Errorf("account %d accepted: %v", id, err)
		}
	}
	if _, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, stored.ID)); err != nil {
		t.Fatalf("usable account refused: %v", err)
	}
	// Once the environment holds keys, that account is usable too.
	f.env.set(accounts.EnvSecretID, "AKIDfromTheEnvironment000000000000001")
	f.env.set(accounts.EnvSecretKey, "x")
	if _, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, env.ID)); err != nil {
		t.Fatalf("environment account refused with keys set: %v", err)
	}
}
