package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// runGroup dispatches a command that has subcommands of its own, such as
// `console user add`: it runs the one named by args[0] or prints the group's
// usage.
func runGroup(ctx context.Context, e env, group string, cmds []command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		groupUsage(e.stdout, group, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	groupUsage(e.stderr, group, cmds)
	return fmt.Errorf("%w: unknown %s command %q", errUsage, group, args[0])
}

func groupUsage(w io.Writer, group string, cmds []command) {
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	fmt.Fprintf(w, "Usage: console %s COMMAND [flags]\n\nCommands:\n", group)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s %s\n", width+1, c.name, c.summary)
	}
}
