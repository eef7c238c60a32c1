package db_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/secrets"
)

func TestTencentCloudAccountRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	sealed := &secrets.Sealed{KeyID: "k1", Nonce: []byte("123456789012"), Ciphertext: []byte("ciphertext")}

	var stored db.TencentCloudAccount
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		id, err := db.NextTencentCloudAccountID(ctx, tx)
		if err != nil {
			return err
		}
		stored, err = db.InsertTencentCloudAccount(ctx, tx, db.NewTencentCloudAccount{
			ID: id, Name: "Prod", KeySource: db.KeySourceStored,
			Keys: db.TencentCloudKeys{SecretID: "AKIDexample0001", SecretKey: sealed},
		})
		if err == nil && stored.ID != id {
			t.Errorf("inserted with id %d, reserved %d", stored.ID, id)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.GetTencentCloudAccount(ctx, pool, stored.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Keys.Token != nil || got.Keys.SecretKey == nil || !bytes.Equal(got.Keys.SecretKey.Ciphertext, sealed.Ciphertext) ||
		got.Keys.SecretKey.KeyID != "k1" || got.CreatedBy != 0 || got.KeySource != db.KeySourceStored {
		t.Fatalf("round trip: %+v", got)
	}

	// The name is unique in any letter case.
	id, _ := db.NextTencentCloudAccountID(ctx, pool)
	_, err = db.InsertTencentCloudAccount(ctx, pool, db.NewTencentCloudAccount{ID: id, Name: "PROD", KeySource: db.KeySourceEnvironment})
	if !errors.Is(err, db.ErrConflict) {
		t.Fatalf("duplicate name: %v", err)
	}

	// Stored keys need their ciphertext: the table refuses a stored account without one.
	id, _ = db.NextTencentCloudAccountID(ctx, pool)
	if _, err := db.InsertTencentCloudAccount(ctx, pool, db.NewTencentCloudAccount{ID: id, Name: "Broken", KeySource: db.KeySourceStored,
		Keys: db.TencentCloudKeys{SecretID: "AKIDexample0002"}}); err == nil {
		t.Fatal("a stored account without a sealed key was accepted")
	}

	// Replacing keys adds a token; resealing keeps the time the keys changed.
	token := &secrets.Sealed{KeyID: "k2", Nonce: []byte("abcdefghijkl"), Ciphertext: []byte("token")}
	updated, err := db.UpdateTencentCloudAccountKeys(ctx, pool, stored.ID, db.KeySourceStored,
		db.TencentCloudKeys{SecretID: "AKIDexample0003", SecretKey: sealed, Token: token})
	if err != nil || updated.Keys.Token == nil || updated.Keys.SecretID != "AKIDexample0003" || updated.KeysChangedAt.Before(stored.KeysChangedAt) {
		t.Fatalf("update keys: %+v, %v", updated, err)
	}
	ids, err := db.ListTencentCloudAccountsToReseal(ctx, pool, "k1")
	if err != nil || len(ids) != 1 || ids[0] != stored.ID {
		t.Fatalf("to reseal under k1: %v, %v (the token is under k2)", ids, err)
	}
	resealed, err := db.ResealTencentCloudAccount(ctx, pool, stored.ID, sealed, &secrets.Sealed{KeyID: "k1", Nonce: token.Nonce, Ciphertext: token.Ciphertext})
	if err != nil || resealed.Keys.Token.KeyID != "k1" || !resealed.KeysChangedAt.Equal(updated.KeysChangedAt) {
		t.Fatalf("reseal: %+v, %v", resealed, err)
	}
	if ids, _ := db.ListTencentCloudAccountsToReseal(ctx, pool, "k1"); len(ids) != 0 {
		t.Fatalf("still to reseal: %v", ids)
	}

	if _, err := db.GetTencentCloudAccount(ctx, pool, 999999); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("missing account: %v", err)
	}
}
