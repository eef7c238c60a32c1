package jobs

import (
	"context"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// TestWebhookStillSignsAfterAKeyRotation is issue 18's rotation promise:
// a webhook secret sealed under master key k1 is resealed under k2 by the
// reseal step (with the old key still at hand), after which k1 can go, and
// a delivery made with k2 alone is signed with the same secret, as the
// README's snippet verifies. Without the reseal it could not be opened.
func TestWebhookStillSignsAfterAKeyRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	hook, got := sink(t, func(int) (int, string) { return 200, "ok" })
	f := newFixture(t, nil)
	p := f.policy(t, hook.URL+"/dealdesk", orders.WebhookGeneric)
	admin := orders.Actor{UserID: f.approver.UserID, Roles: []string{"admin"}}
	const secret = "rotate-me-but-keep-signing"
	if err := notify.NewService(f.pool, testKeys, nil).SetWebhookSecret(ctx, admin, p.ID, secrets.NewString(secret)); err != nil {
		t.Fatal(err)
	}

	newKey := []byte("fedcba9876543210fedcba9876543210")
	onlyNew, err := secrets.NewKeyring("k2", newKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Before the reseal, the new key alone cannot open it.
	if _, err := notify.OpenWebhookSecret(ctx, f.pool, onlyNew, p.ID); err == nil {
		t.Fatal("a secret sealed under k1 opens with k2 alone")
	}
	rotated, err := secrets.NewKeyring("k2", newKey, map[string][]byte{"k1": []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	n, err := notify.NewService(f.pool, rotated, nil).ResealWebhookSecrets(ctx, orders.Actor{Via: "cli"})
	if err != nil || n != 1 {
		t.Fatalf("reseal: %d resealed, err %v; want 1", n, err)
	}
	// A second run finds nothing left under the old key.
	if n, err := notify.NewService(f.pool, rotated, nil).ResealWebhookSecrets(ctx, orders.Actor{Via: "cli"}); err != nil || n != 0 {
		t.Fatalf("second reseal: %d, err %v; want 0", n, err)
	}
	var keyID string
	var events int
	if err := f.pool.QueryRow(ctx, `SELECT key_id, (SELECT count(*) FROM audit_events WHERE action = $2 AND subject = $3
		AND details->>'from_key_id' = 'k1' AND details->>'key_id' = 'k2' AND actor = 'system')
		FROM webhook_secrets WHERE policy_id = $1`, p.ID, db.ActionWebhookSecretResealed, orders.PolicySubject(p.ID)).Scan(&keyID, &events); err != nil {
		t.Fatal(err)
	}
	if keyID != "k2" || events != 1 {
		t.Fatalf("after the reseal: sealed under %q with %d audit events; want k2 and one event", keyID, events)
	}

	// The old key is gone: deliveries sign with the same secret.
	q, evs := startQueueWith(t, f, Config{BaseURL: testBaseURL, Keys: onlyNew})
	f.svc = f.svc.WithHooks(orders.Hooks{Notify: q})
	f.submit(t)
	waitDone(t, evs, 1)
	r := got()
	if len(r) != 1 || !verify([]byte(secret), r[0].header, r[0].body, time.Now()) {
		t.Fatalf("%d deliveries; the README's verify refuses the one signed after the rotation", len(r))
	}
}
