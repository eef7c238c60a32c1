package main

import (
	"context"
	"fmt"

	"dealdesk/internal/auth"
)

func runUserAdd(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user add", "user add -username U -role ROLE[,ROLE...] [-display-name N] [-email E] [-password-stdin]")
	username := fs.String("username", "", "the new user's username (required)")
	roleList := fs.String("role", "", "comma-separated roles: requester, approver, admin, auditor (required)")
	displayName := fs.String("display-name", "", "how the console shows the user (default: the username)")
	email := fs.String("email", "", "email address (optional)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if *username == "" || *roleList == "" {
		return fmt.Errorf("%w: -username and -role are required", errUsage)
	}
	roles, err := auth.ParseRoles(*roleList)
	if err != nil {
		return fmt.Errorf("%w: -role: %w", errUsage, err)
	}
	password := ""
	if *fromStdin {
		if password, err = readPassword(e.stdin); err != nil {
			return err
		}
	}
	svc, pool, err := openAuth(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, generated, err := svc.CreateUser(ctx, cliActor, auth.NewUser{
		Username: *username, DisplayName: *displayName, Email: *email, Roles: roles, Password: password,
	})
	if err != nil {
		return fieldErrors(err)
	}
	fmt.Fprintf(e.stdout, "created user %s (id %d) with roles %v\n", u.Username, u.ID, u.Roles)
	if generated != "" {
		fmt.Fprintf(e.stdout, "password: %s\n(shown only now; it can be changed after signing in)\n", generated)
	}
	return nil
}
