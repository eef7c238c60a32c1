package main

import (
	"context"
	"errors"
	"fmt"

	"dealdesk/internal/config"
	"dealdesk/internal/db"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "migrate", "migrate [-status]")
	status := fs.Bool("status", false, "only report the schema version; change nothing")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set")
	}
	log := newLogger(e.stderr, cfg)
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if !*status {
		if err := db.Migrate(ctx, pool, log); err != nil {
			return err
		}
	}
	st, err := db.Status(ctx, pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema version %d of %d; river migrations pending: %d\n", st.Current, st.Latest, st.RiverPending)
	if *status {
		return db.CheckSchema(ctx, pool)
	}
	return nil
}
