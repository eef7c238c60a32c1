package main

import (
	"context"
)

// runUserEnsureAdmin is for `make run` and first deployments: on a database
// with no user at all it creates "admin" and prints the password once; on
// any other it prints nothing and changes nothing.
func runUserEnsureAdmin(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user ensure-admin", "user ensure-admin")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	svc, pool, err := openAuth(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, password, created, err := svc.EnsureFirstAdmin(ctx, cliActor)
	if err != nil || !created {
		return err
	}
	printFirstAdmin(e, u.Username, password)
	return nil
}
