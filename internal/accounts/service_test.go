package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/secrets"
)

func TestCreateStoredAccountAndOpenItsCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "Production", testToken)
	if a.Name != "Production" || a.KeySource != accounts.KeysStored || a.MaskedSecretID != "AKID****0001" || !a.HasToken || a.Disabled || a.Sandbox {
		t.Fatalf("created %+v", a)
	}

	creds, err := f.svc.Credentials(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if creds.SecretID != testSecretID || creds.SecretKey != testSecretKey || creds.Token != testToken {
		t.Fatalf("credentials do not round-trip: %v", creds)
	}

	list, err := f.svc.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("list %+v, %v", list, err)
	}
	usable, err := f.svc.Usable(ctx)
	if err != nil || len(usable) != 1 {
		t.Fatalf("usable %+v, %v", usable, err)
	}

	// The audit event names the masked SecretId, never a secret.
	evs, err := db.AuditEventsFor(ctx, f.pool, accounts.Subject(a.ID))
	if err != nil || len(evs) != 1 || evs[0].Action != "tencentcloud_account.created" {
		t.Fatalf("audit %+v, %v", evs, err)
	}
	raw, _ := json.Marshal(evs[0].Details)
	if evs[0].Details["secret_id"] != "AKID****0001" || evs[0].Details["has_token"] != true {
		t.Errorf("details %s", raw)
	}
	for _, secret := range []string{testSecretKey, testToken, testSecretID} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the audit details hold %q: %s", secret, raw)
		}
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	f.create(t, "Taken", "")

	stored := func(name, id, key, token string) accounts.NewAccount {
		return accounts.NewAccount{Name: name, KeySource: accounts.KeysStored,
			Keys: accounts.Keys{SecretID: id, SecretKey: secrets.NewString(key), Token: secrets.NewString(token)}}
	}
	const badKey = "Bad Key With Spaces 0001"
	tests := []struct {
		name  string
		in    accounts.NewAccount
		field string
		want  string
	}{
		{"no name", stored("  ", testSecretID, testSecretKey, ""), "name", "Enter a name"},
		{"long name", stored(strings.Repeat("n", 101), testSecretID, testSecretKey, ""), "name", "at most 100"},
		{"control in name", stored("a\x07b", testSecretID, testSecretKey, ""), "name", "control characters"},
		{"taken name in another case", stored("TAKEN", testSecretID, testSecretKey, ""), "name", "Another account has this name"},
		{"no secret id", stored("x", "", testSecretKey, ""), "secret_id", "Enter the SecretId"},
		{"secret id without AKID", stored("x", "ABCDtestACCOUNTS0001", testSecretKey, ""), "secret_id", "starts with AKID"},
		{"secret id too short", stored("x", "AKID1234", testSecretKey, ""), "secret_id", "starts with AKID"},
		{"secret id with a space", stored("x", "AKIDtest ACCOUNTS0001", testSecretKey, ""), "secret_id", "without spaces"},
		{"secret id not ASCII", stored("x", "AKIDtestACCOUNTSé0001", testSecretKey, ""), "secret_id", "starts with AKID"},
		{"secret id too long", stored("x", "AKID"+strings.Repeat("a", 125), testSecretKey, ""), "secret_id", "at most 128"},
		{"no secret key", stored("x", testSecretID, " \n", ""), "secret_key", "Enter the SecretKey"},
		{"secret key with spaces", stored("x", testSecretID, badKey, ""), "secret_key", "space or line break"},
		{"secret key not ASCII", stored("x", testSecretID, "clé-secrète-0001", ""), "secret_key", "other than letters"},
		{"secret key too long", stored("x", testSecretID, strings.Repeat("k", 129), ""), "secret_key", "longer than any"},
		{"token with a line break", stored("x", testSecretID, testSecretKey, "tok\nen"), "token", "space or line break"},
		{"environment with a key", accounts.NewAccount{Name: "x", KeySource: accounts.KeysFromEnvironment,
			Keys: accounts.Keys{SecretKey: secrets.NewString(testSecretKey)}}, "secret_key", "Leave this empty"},
		{"no key source", accounts.NewAccount{Name: "x"}, "key_source", "Choose where the keys come from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Create(context.Background(), admin, tt.in)
			var fe fault.Fields
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want FieldErrors", err)
			}
			if !strings.Contains(fe[tt.field].String(), tt.want) {
				t.Fatalf("%s: %q, want %q (all: %v)", tt.field, fe[tt.field], tt.want, fe)
			}
			for _, secret := range []string{testSecretKey, badKey, "clé-secrète", "tok\nen"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error repeats a secret: %v", err)
				}
			}
		})
	}

	// Copying brings spaces and line breaks around the keys; they go.
	a, err := f.svc.Create(context.Background(), admin, stored(" Trimmed ", " "+testSecretID+"\n", "\t"+testSecretKey+"\r\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := f.svc.Credentials(context.Background(), a.ID)
	if err != nil || a.Name != "Trimmed" || creds.SecretID != testSecretID || creds.SecretKey != testSecretKey {
		t.Fatalf("trimmed: %+v %v %v", a, creds, err)
	}
}

func TestEnvironmentAccountReadsKeysAtUseTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a, err := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "From env", KeySource: accounts.KeysFromEnvironment})
	if err != nil {
		t.Fatal(err)
	}
	if a.KeySource != accounts.KeysFromEnvironment || a.MaskedSecretID != "" {
		t.Fatalf("created %+v", a)
	}
	if _, err := f.svc.Credentials(ctx, a.ID); !errors.Is(err, accounts.ErrNoEnvironmentKeys) {
		t.Fatalf("no environment keys: %v", err)
	}
	if usable, _ := f.svc.Usable(ctx); len(usable) != 0 {
		t.Fatalf("usable without environment keys: %+v", usable)
	}
	f.env.set(accounts.EnvSecretID, testSecretID)
	if _, err := f.svc.Credentials(ctx, a.ID); !errors.Is(err, accounts.ErrNoEnvironmentKeys) {
		t.Fatalf("a SecretId alone: %v", err)
	}
	f.env.set(accounts.EnvSecretKey, testSecretKey)
	creds, err := f.svc.Credentials(ctx, a.ID)
	if err != nil || creds.SecretID != testSecretID || creds.SecretKey != testSecretKey {
		t.Fatalf("credentials %v, %v", creds, err)
	}
	got, _ := f.svc.Get(ctx, a.ID)
	if got.MaskedSecretID != "AKID****0001" {
		t.Fatalf("masked id from the environment: %q", got.MaskedSecretID)
	}
	// Nothing of the environment's keys was stored.
	var secretID string
	var sealed []byte
	if err := f.pool.QueryRow(ctx, "SELECT secret_id, secret_key_sealed FROM tencentcloud_accounts WHERE id = $1", a.ID).Scan(&secretID, &sealed); err != nil || secretID != "" || sealed != nil {
		t.Fatalf("stored %q %v, %v", secretID, sealed, err)
	}
}

func TestDisabledAccountIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "Ops", "")
	for range 2 { // the second time changes nothing and records nothing
		if got, err := f.svc.SetDisabled(ctx, admin, a.ID, true); err != nil || !got.Disabled {
			t.Fatalf("disable: %+v, %v", got, err)
		}
	}
	if _, err := f.svc.Credentials(ctx, a.ID); !errors.Is(err, accounts.ErrDisabled) {
		t.Fatalf("credentials of a disabled account: %v", err)
	}
	if usable, _ := f.svc.Usable(ctx); len(usable) != 0 {
		t.Fatal("a disabled account is offered")
	}
	if _, err := f.svc.SetDisabled(ctx, admin, a.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Credentials(ctx, a.ID); err != nil {
		t.Fatalf("enabled again: %v", err)
	}
	evs, _ := db.AuditEventsFor(ctx, f.pool, accounts.Subject(a.ID))
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "tencentcloud_account.created,tencentcloud_account.disabled,tencentcloud_account.enabled" {
		t.Fatalf("audit actions %v", actions)
	}
	if _, err := f.svc.SetDisabled(ctx, admin, 424242, true); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

func TestReplaceKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "Ops", testToken)
	const newID, newKey = "AKIDreplacedKEYS000000000000000002", "ReplacedSecretKey0002"
	got, err := f.svc.ReplaceKeys(ctx, admin, a.ID, accounts.Keys{SecretID: newID, SecretKey: secrets.NewString(newKey)})
	if err != nil {
		t.Fatal(err)
	}
	if got.MaskedSecretID != "AKID****0002" || got.HasToken || got.KeysChangedAt.Before(a.KeysChangedAt) {
		t.Fatalf("after replacing %+v", got)
	}
	creds, _ := f.svc.Credentials(ctx, a.ID)
	if creds.SecretID != newID || creds.SecretKey != newKey || creds.Token != "" {
		t.Fatalf("credentials after replacing: %v", creds)
	}
	evs, _ := db.AuditEventsFor(ctx, f.pool, accounts.Subject(a.ID))
	last := evs[len(evs)-1]
	if last.Action != "tencentcloud_account.keys_replaced" || last.Details["secret_id_before"] != "AKID****0001" || last.Details["secret_id"] != "AKID****0002" {
		t.Fatalf("audit %+v", last)
	}

	// Invalid keys change nothing.
	_, err = f.svc.ReplaceKeys(ctx, admin, a.ID, accounts.Keys{SecretID: newID})
	var fe fault.Fields
	if !errors.As(err, &fe) || fe["secret_key"].Key == "" {
		t.Fatalf("replacing without a key: %v", err)
	}

	// An environment-keyed account becomes a stored one.
	env, _ := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "Env", KeySource: accounts.KeysFromEnvironment})
	got, err = f.svc.ReplaceKeys(ctx, admin, env.ID, accounts.Keys{SecretID: testSecretID, SecretKey: secrets.NewString(testSecretKey)})
	if err != nil || got.KeySource != accounts.KeysStored {
		t.Fatalf("env to stored: %+v, %v", got, err)
	}
	if creds, err := f.svc.Credentials(ctx, env.ID); err != nil || creds.SecretKey != testSecretKey {
		t.Fatalf("credentials %v, %v", creds, err)
	}
}
