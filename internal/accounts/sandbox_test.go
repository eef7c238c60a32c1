package accounts_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/secrets"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

func TestEnsureSandboxAccountOnceWithKeysTheSandboxAccepts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, true)
	// An admin's own account already has the name.
	f.create(t, "sandbox", "")

	a, created, err := f.svc.EnsureSandboxAccount(ctx, admin)
	if err != nil || !created || !a.Sandbox || a.Name != "Sandbox 2" || a.KeySource != accounts.KeysStored {
		t.Fatalf("ensure: %+v, created %v, %v", a, created, err)
	}
	again, created, err := f.svc.EnsureSandboxAccount(ctx, admin)
	if err != nil || created || again.ID != a.ID {
		t.Fatalf("second ensure: %+v, created %v, %v", again, created, err)
	}

	keys, tokens, err := f.svc.SandboxKeys(ctx)
	if err != nil || len(keys) != 1 || len(tokens) != 0 {
		t.Fatalf("sandbox keys: %d keys, %d tokens, %v", len(keys), len(tokens), err)
	}
	creds, err := f.svc.Credentials(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if keys[creds.SecretID] != creds.SecretKey || !regexp.MustCompile(`^AKID[A-Za-z0-9]{32}$`).MatchString(creds.SecretID) ||
		!regexp.MustCompile(`^[A-Za-z0-9]{32}$`).MatchString(creds.SecretKey) {
		t.Fatalf("sandbox keys do not look as made: %v", creds)
	}

	// The sandbox started with those keys accepts the account's calls.
	sim := tcsimtest.Start(t, tcsim.Options{Keys: keys, Tokens: tokens})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Check(ctx, client, a.ID)
	if err != nil || !res.OK || res.Balance == nil || *res.Balance != tcsim.DefaultBalance {
		t.Fatalf("check %+v, %v", res, err)
	}

	// Its keys are the console's: replacing them is refused.
	_, err = f.svc.ReplaceKeys(ctx, admin, a.ID, accounts.Keys{SecretID: testSecretID, SecretKey: secrets.NewString(testSecretKey)})
	if !errors.Is(err, accounts.ErrSandboxKeys) {
		t.Fatalf("replace sandbox keys: %v", err)
	}

	// Disabled, it leaves the sandbox's keys.
	if _, err := f.svc.SetDisabled(ctx, admin, a.ID, true); err != nil {
		t.Fatal(err)
	}
	if keys, _, _ := f.svc.SandboxKeys(ctx); len(keys) != 0 {
		t.Fatal("a disabled sandbox account's keys are still given to the sandbox")
	}
}

func TestSandboxAccountOnlyInSandboxMode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, true)
	a, _, err := f.svc.EnsureSandboxAccount(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	real := f.service(t, keyring(t, "k1", masterKey1, nil), false)
	if _, err := real.Credentials(ctx, a.ID); !errors.Is(err, accounts.ErrSandboxOnly) {
		t.Fatalf("sandbox credentials outside sandbox mode: %v", err)
	}
	if usable, _ := real.Usable(ctx); len(usable) != 0 {
		t.Fatalf("offered outside sandbox mode: %+v", usable)
	}
	if usable, _ := f.svc.Usable(ctx); len(usable) != 1 {
		t.Fatalf("not offered in sandbox mode: %+v", usable)
	}
}
