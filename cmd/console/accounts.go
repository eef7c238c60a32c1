package main

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/accounts"
	"dealdesk/internal/config"
	"dealdesk/internal/db"
)

// accountsCommands are the subcommands of `console accounts`.
func accountsCommands() []command {
	return []command{
		{"list", "list the Tencent Cloud accounts (SecretIds masked)", runAccountsList},
		{"reseal", "seal every stored secret again under the current master key", runAccountsReseal},
	}
}

// runAccounts dispatches `console accounts SUBCOMMAND`.
func runAccounts(ctx context.Context, e env, args []string) error {
	return runGroup(ctx, e, "accounts", accountsCommands(), args)
}

// openAccounts connects to DATABASE_URL and builds the accounts service with
// the master keys (CONSOLE_MASTER_KEY and CONSOLE_MASTER_KEYS_OLD).
func openAccounts(ctx context.Context, e env) (*accounts.Service, *pgxpool.Pool, error) {
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	if cfg.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is not set"))
	}
	if len(cfg.MasterKey) == 0 {
		errs = append(errs, errors.New("CONSOLE_MASTER_KEY is not set"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	if err := db.CheckSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	svc, err := newAccountsService(pool, cfg, e.getenv)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return svc, pool, nil
}
