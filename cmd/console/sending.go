package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"dealdesk/internal/config"
	"dealdesk/internal/jobs"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

func sendingCommands() []command {
	return []command{
		{"replay", "record answers a console wrote to its log when the database could not take them", runSendingReplay},
	}
}

// runSending dispatches `console sending SUBCOMMAND`.
func runSending(ctx context.Context, e env, args []string) error {
	return runGroup(ctx, e, "sending", sendingCommands(), args)
}

// runSendingReplay reads a console's log (text or JSON; "-" for standard
// input) and records every answer to a purchase call that is not on record
// yet. Answers already recorded are left as they are, so replaying a whole
// log twice changes nothing the second time.
func runSendingReplay(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "sending replay", "sending replay LOGFILE")
	// The one argument is the log file; parseFlags takes no positional
	// arguments, so it reads only what follows.
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-") {
		if err := parseFlags(e, fs, args); err != nil {
			return err
		}
		return fmt.Errorf("%w: sending replay takes one log file (- for standard input)", errUsage)
	}
	name := args[0]
	if err := parseFlags(e, fs, args[1:]); err != nil {
		return err
	}
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	in := e.stdin
	if name != "-" {
		f, err := os.Open(name) //nolint:gosec // G304: the operator names the log file on the command line
		if err != nil {
			return fmt.Errorf("sending replay: %w", err)
		}
		defer f.Close() //nolint:errcheck // read only
		in = f
	}
	answers, err := sending.ReadAnswers(in)
	if err != nil {
		return err
	}
	pool, err := openCurrent(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	log := newLogger(e.stderr, cfg)
	sender := sending.New(pool, orders.NewService(pool), nil, nil, sending.Config{
		AutoResendDelay: cfg.AutoResendDelay, AutoResendTries: autoResendTries(cfg)}, log)
	// Only for inserting the automatic resend a replayed unknown answer
	// queues; the consoles work it.
	queue, err := jobs.New(pool, jobs.Config{Log: log, Sender: sender})
	if err != nil {
		return err
	}
	sender.UseResendScheduler(queue)
	recorded := 0
	for _, a := range answers {
		o, done, err := sender.Replay(ctx, a)
		if err != nil {
			return err
		}
		if done {
			recorded++
			fmt.Fprintf(e.stdout, "order %d attempt %d: recorded %s; the order is %s\n", a.OrderID, a.Attempt, a.Outcome, o.Status)
		} else {
			fmt.Fprintf(e.stdout, "order %d attempt %d: already on record\n", a.OrderID, a.Attempt)
		}
	}
	fmt.Fprintf(e.stdout, "%d answers read, %d recorded\n", len(answers), recorded)
	return nil
}
