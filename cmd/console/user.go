package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/auth"
	"dealdesk/internal/config"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// userCommands are the subcommands of `console user`.
func userCommands() []command {
	return []command{
		{"add", "create a user (prints a generated password once unless -password-stdin)", runUserAdd},
		{"set-password", "give a user a new password and end their sessions", runUserSetPassword},
		{"disable", "disable a user and end their sessions", runUserDisable},
		{"enable", "let a disabled user sign in again", runUserEnable},
		{"list", "list users", runUserList},
		{"ensure-admin", "create the user admin when there is no user at all", runUserEnsureAdmin},
	}
}

// runUser dispatches `console user SUBCOMMAND`.
func runUser(ctx context.Context, e env, args []string) error {
	return runGroup(ctx, e, "user", userCommands(), args)
}

// openAuth connects to DATABASE_URL and builds the users service. The
// command line issues no cookies, so CONSOLE_SESSION_KEY is optional here.
func openAuth(ctx context.Context, e env) (*auth.Service, *pgxpool.Pool, error) {
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return nil, nil, err
	}
	if cfg.DatabaseURL == "" {
		return nil, nil, errors.New("DATABASE_URL is not set")
	}
	if len(cfg.SessionKey) == 0 {
		cfg.SessionKey = make([]byte, 32)
		_, _ = rand.Read(cfg.SessionKey)
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	if err := db.CheckSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	svc, err := newAuthService(pool, cfg)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return svc, pool, nil
}

// readPassword reads one line from stdin: the password, without its line end.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("-password-stdin: no standard input")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("-password-stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("-password-stdin: standard input held no password")
	}
	return line, nil
}

// userByName finds the user a -username flag names.
func userByName(ctx context.Context, svc *auth.Service, username string) (auth.User, error) {
	if username == "" {
		return auth.User{}, fmt.Errorf("%w: -username is required", errUsage)
	}
	u, err := svc.UserByUsername(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		return auth.User{}, fmt.Errorf("no user named %q", username)
	}
	return u, err
}

// fieldErrors turns the service's validation errors into one line each,
// naming the flag.
func fieldErrors(err error) error {
	fe, ok := fault.AsFields(err)
	if !ok {
		return err
	}
	flags := map[string]string{"display_name": "display-name", "new": "password"}
	var lines []string
	for field, msg := range fe {
		name := field
		if f, ok := flags[field]; ok {
			name = f
		}
		lines = append(lines, fmt.Sprintf("-%s: %s", name, msg.String()))
	}
	return errors.New(strings.Join(lines, "\n"))
}

var cliActor = auth.SystemActor("cli")
