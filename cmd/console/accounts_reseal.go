package main

import (
	"context"
	"fmt"

	"dealdesk/internal/config"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
)

// runAccountsReseal seals every stored secret under the current master key
// (the accounts' keys and tokens, then the policies' webhook signing
// secrets), the step of a rotation between adding the new key and dropping
// the old one.
func runAccountsReseal(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "accounts reseal", "accounts reseal")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	svc, pool, err := openAccounts(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	n, err := svc.Reseal(ctx, cliActor)
	if err != nil {
		return fmt.Errorf("resealed %d accounts before failing: %w", n, err)
	}
	printResealed(e, "cli.reseal.accounts", n, svc.CurrentKeyID())
	// openAccounts has read the same settings without fault.
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	keys, err := secrets.NewKeyring(cfg.MasterKeyID, cfg.MasterKey, cfg.MasterKeysOld)
	if err != nil {
		return err
	}
	w, err := notify.NewService(pool, keys, nil).ResealWebhookSecrets(ctx, orders.Actor{Via: cliActor.Via})
	if err != nil {
		return fmt.Errorf("resealed %d webhook secrets before failing: %w", w, err)
	}
	printResealed(e, "cli.reseal.webhook_secrets", w, keys.CurrentKeyID())
	return nil
}
