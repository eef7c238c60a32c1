package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func runUserList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "user list", "user list")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	svc, pool, err := openAuth(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	users, err := svc.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tROLES\tSTATE")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", u.Username, u.DisplayName, u.Roles, state)
	}
	return tw.Flush()
}
