package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func runAccountsList(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "accounts list", "accounts list")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	svc, pool, err := openAccounts(ctx, e)
	if err != nil {
		return err
	}
	defer pool.Close()
	list, err := svc.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSECRETID\tKEYS\tSTATE")
	for _, a := range list {
		state := "active"
		if a.Disabled {
			state = "disabled"
		}
		if a.Sandbox {
			state += ", sandbox"
		}
		id := a.MaskedSecretID
		if id == "" {
			id = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.ID, a.Name, id, a.KeySource, state)
	}
	return tw.Flush()
}
