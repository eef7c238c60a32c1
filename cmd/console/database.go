package main

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db"
)

// openCurrent opens the database a command works on and checks that its
// schema is the one this binary carries; the caller closes the pool.
func openCurrent(ctx context.Context, url string) (*pgxpool.Pool, error) {
	if url == "" {
		return nil, errors.New("DATABASE_URL is not set")
	}
	pool, err := db.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}
