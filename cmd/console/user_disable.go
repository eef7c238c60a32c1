package main

import (
	"context"
	"dealdesk/internal/fault"
	"errors"
	"fmt"
)

func runUserDisable(ctx context.Context, e env, args []string) error {
	return setDisabled(ctx, e, args, true)
}

func runUserEnable(ctx context.Context, e env, args []string) error {
	return setDisabled(ctx, e, args, false)
}

func setDisabled(ctx context.Context, e env, args []string, disabled bool) error {
	name := map[bool]string{true: "disable", false: "enable"}[disabled]
	fs := newFlagSet(e, "user "+name, "user "+name+" -username U")
	username := fs.String("username", "", "the user to "+name+" (required)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
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
	if _, err := svc.SetDisabled(ctx, cliActor, u.ID, disabled); err != nil {
		if refusal, ok := fault.As(err); ok {
			return errors.New(refusal.Msg.String())
		}
		return err
	}
	if disabled {
		fmt.Fprintf(e.stdout, "%s is disabled; every session of %s has ended\n", u.Username, u.Username)
	} else {
		fmt.Fprintf(e.stdout, "%s may sign in again\n", u.Username)
	}
	return nil
}
