package main

import (
	"context"
	"fmt"
)

// runAccountsReseal seals stored secrets under the current master key, the
// step of a rotation between adding the new key and dropping the old one.
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
	fmt.Fprintf(e.stdout, "resealed %d accounts under master key %q\n", n, svc.CurrentKeyID())
	return nil
}
