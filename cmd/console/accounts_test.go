package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

func TestAccountsResealRotatesTheMasterKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t)
	oldKey := bytes.Repeat([]byte{7}, 32) // testEnv's CONSOLE_MASTER_KEY, id k1
	newKey := bytes.Repeat([]byte{9}, 32)
	b64 := base64.StdEncoding.EncodeToString

	keys, _ := secrets.NewKeyring("k1", oldKey, nil)
	svc, _ := accounts.NewService(dbtest.Open(t, url), accounts.Config{Keys: keys})
	const secretKey = "CliTestSecretKey00000000000000001"
	a, err := svc.Create(ctx, auth.SystemActor("test"), accounts.NewAccount{Name: "Ops", KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: "AKIDcliTESTaccount000000000000000001", SecretKey: secrets.NewString(secretKey)}})
	if err != nil {
		t.Fatal(err)
	}
	// A policy webhook's signing secret is sealed under the same key.
	pool := dbtest.Open(t, url)
	var policyID int64
	if err := pool.QueryRow(ctx, `INSERT INTO approval_policies (product, webhook_url) VALUES ('tcb', 'https://hooks.example/x') RETURNING id`).Scan(&policyID); err != nil {
		t.Fatal(err)
	}
	const hookSecret = "webhook-secret-for-the-cli-test"
	if err := notify.NewService(pool, keys, nil).SetWebhookSecret(ctx, orders.Actor{Roles: []string{"admin"}}, policyID, secrets.NewString(hookSecret)); err != nil {
		t.Fatal(err)
	}

	rotated := func(old string) func(string) string {
		return testEnv(url, map[string]string{"CONSOLE_MASTER_KEY": b64(newKey), "CONSOLE_MASTER_KEY_ID": "k2", "CONSOLE_MASTER_KEYS_OLD": old})
	}
	var out, errOut bytes.Buffer
	// Without the old key nothing can be opened, and the error says which key is missing.
	err = run(ctx, []string{"accounts", "reseal"}, rotated(""), nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), `key id "k1"`) {
		t.Fatalf("reseal without the old key: %v", err)
	}
	if err := run(ctx, []string{"accounts", "reseal"}, rotated("k1:"+b64(oldKey)), nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `resealed 1 accounts under master key "k2"`) ||
		!strings.Contains(out.String(), `resealed 1 webhook secrets under master key "k2"`) {
		t.Fatalf("reseal printed %q", out.String())
	}

	// The old key can go now.
	out.Reset()
	if err := run(ctx, []string{"accounts", "list"}, rotated(""), nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Ops") || !strings.Contains(out.String(), "AKID****0001") || strings.Contains(out.String(), "AKIDcliTEST") {
		t.Fatalf("list printed %q", out.String())
	}
	newKeys, _ := secrets.NewKeyring("k2", newKey, nil)
	svc, _ = accounts.NewService(dbtest.Open(t, url), accounts.Config{Keys: newKeys})
	creds, err := svc.Credentials(ctx, a.ID)
	if err != nil || creds.SecretKey != secretKey {
		t.Fatalf("credentials under the new key only: %v", err)
	}
	newKeysHook, err := notify.OpenWebhookSecret(ctx, pool, newKeys, policyID)
	if err != nil || newKeysHook.Reveal() != hookSecret {
		t.Fatalf("webhook secret under the new key only: %v", err)
	}
	if strings.Contains(out.String()+errOut.String(), secretKey) || strings.Contains(out.String()+errOut.String(), hookSecret) {
		t.Fatal("a command printed the SecretKey")
	}
}
