package accounts_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/secrets"
)

// TestSealedValuesOpenOnlyWithTheirContext reads the ciphertexts from the
// table and checks that each opens only as the row and column it was sealed
// for, and only with the master key that sealed it.
func TestSealedValuesOpenOnlyWithTheirContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "First", testToken)
	b := f.create(t, "Second", "")

	row, err := db.GetTencentCloudAccount(ctx, f.pool, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	keys := keyring(t, "k1", masterKey1, nil)
	id := strconv.FormatInt(a.ID, 10)
	otherID := strconv.FormatInt(b.ID, 10)
	open := func(s *secrets.Sealed, context string) (string, error) {
		p, err := keys.Open(*s, context)
		return string(p), err
	}
	if got, err := open(row.Keys.SecretKey, "tencentcloud_accounts:"+id+":secret_key:"+testSecretID); err != nil || got != testSecretKey {
		t.Fatalf("the key does not open with its own context: %v", err)
	}
	if got, err := open(row.Keys.Token, "tencentcloud_accounts:"+id+":token:"+testSecretID); err != nil || got != testToken {
		t.Fatalf("the token does not open with its own context: %v", err)
	}
	for name, context := range map[string]string{
		"another row":       "tencentcloud_accounts:" + otherID + ":secret_key:" + testSecretID,
		"the token column":  "tencentcloud_accounts:" + id + ":token:" + testSecretID,
		"another SecretId":  "tencentcloud_accounts:" + id + ":secret_key:AKIDsomeoneELSE0000",
		"no context at all": "",
	} {
		if _, err := open(row.Keys.SecretKey, context); !errors.Is(err, secrets.ErrOpen) {
			t.Errorf("the key opened as %s: %v", name, err)
		}
	}
	wrong := keyring(t, "k1", masterKey2, nil)
	if _, err := wrong.Open(*row.Keys.SecretKey, "tencentcloud_accounts:"+id+":secret_key:"+testSecretID); !errors.Is(err, secrets.ErrOpen) {
		t.Errorf("the key opened with another master key: %v", err)
	}
}

// TestMovedCiphertextIsRefused edits rows as someone with write access to
// the database might: the service refuses rather than sign with a key that
// was not sealed for the account.
func TestMovedCiphertextIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "Victim", "")
	b := f.create(t, "Other", "")

	if _, err := f.pool.Exec(ctx, `UPDATE tencentcloud_accounts AS b
		SET secret_key_nonce = a.secret_key_nonce, secret_key_sealed = a.secret_key_sealed
		FROM tencentcloud_accounts AS a WHERE a.id = $1 AND b.id = $2`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Credentials(ctx, b.ID); !errors.Is(err, accounts.ErrCannotOpen) || !errors.Is(err, secrets.ErrOpen) {
		t.Fatalf("a key copied from another row: %v", err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE tencentcloud_accounts SET secret_id = 'AKIDswappedIDENTITY0000' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.svc.Credentials(ctx, a.ID)
	if refusal, ok := fault.As(err); !ok || !errors.Is(err, accounts.ErrCannotOpen) || refusal.Msg.String() == "" {
		t.Fatalf("a SecretId edited in the row: %v", err)
	}

	// A master key the console lacks is named as such.
	c := f.create(t, "Old key", "")
	if _, err := f.pool.Exec(ctx, `UPDATE tencentcloud_accounts SET secret_key_key_id = 'k0' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Credentials(ctx, c.ID); !errors.Is(err, accounts.ErrCannotOpen) || !errors.Is(err, secrets.ErrUnknownKey) {
		t.Fatalf("unknown master key: %v", err)
	}
}

func TestResealMovesEverySecretToTheCurrentKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, false)
	a := f.create(t, "With token", testToken)
	b := f.create(t, "Without", "")
	if _, err := f.svc.Create(ctx, admin, accounts.NewAccount{Name: "Env", KeySource: accounts.KeysFromEnvironment}); err != nil {
		t.Fatal(err)
	}

	rotated := f.service(t, keyring(t, "k2", masterKey2, map[string][]byte{"k1": masterKey1}), false)
	n, err := rotated.Reseal(ctx, admin)
	if err != nil || n != 2 {
		t.Fatalf("resealed %d, %v; want 2", n, err)
	}
	if n, err := rotated.Reseal(ctx, admin); err != nil || n != 0 {
		t.Fatalf("second run resealed %d, %v", n, err)
	}
	// Only the new key is needed now.
	onlyNew := f.service(t, keyring(t, "k2", masterKey2, nil), false)
	for _, id := range []int64{a.ID, b.ID} {
		creds, err := onlyNew.Credentials(ctx, id)
		if err != nil || creds.SecretKey != testSecretKey {
			t.Fatalf("account %d after resealing: %v", id, err)
		}
	}
	if creds, _ := onlyNew.Credentials(ctx, a.ID); creds.Token != testToken {
		t.Fatal("the token was not resealed")
	}
	evs, _ := db.AuditEventsFor(ctx, f.pool, accounts.Subject(a.ID))
	last := evs[len(evs)-1]
	from, _ := last.Details["from_master_key_ids"].(map[string]any)
	if last.Action != "tencentcloud_account.resealed" || last.Details["master_key_id"] != "k2" || from["secret_key"] != "k1" || from["token"] != "k1" {
		t.Fatalf("audit %+v", last)
	}
	got, _ := onlyNew.Get(ctx, a.ID)
	if !got.KeysChangedAt.Equal(a.KeysChangedAt) {
		t.Error("resealing counted as a change of keys")
	}
}
