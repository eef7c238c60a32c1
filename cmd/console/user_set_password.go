package main

import (
	"context"
	"fmt"
)

func runUserSetPassword(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user set-password", "user set-password -username U [-password-stdin]")
	username := fs.String("username", "", "whose password to set (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *username == "" {
		return fmt.Errorf("%w: -username is required", errUsage)
	}
	password := ""
	if *fromStdin {
		var err error
		if password, err = readPassword(e.stdin); err != nil {
			return err
		}
	}
	svc, pool, err := openAuth(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, err := userByName(ctx, svc, *username)
	if err != nil {
		return err
	}
	if password == "" {
		if password, err = svc.ResetPassword(ctx, cliActor, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "password of %s changed; every session of %s has ended\npassword: %s\n(shown only now)\n", u.Username, u.Username, password)
		return nil
	}
	if err := svc.SetPassword(ctx, cliActor, u.ID, password); err != nil {
		return fieldErrors(err)
	}
	fmt.Fprintf(e.stdout, "password of %s changed; every session of %s has ended\n", u.Username, u.Username)
	return nil
}
