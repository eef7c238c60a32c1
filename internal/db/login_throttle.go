package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// CountLoginAttempt counts one sign-in attempt against key within a fixed
// window and returns the attempts so far in that window. It locks the key's
// row until the transaction ends, so attempts on one key take turns across
// every replica.
func CountLoginAttempt(ctx context.Context, q DBTX, key string, window time.Duration) (int32, error) {
	n, err := queries.CountLoginAttempt(ctx, q, sqlcgen.CountLoginAttemptParams{Key: key, WindowSeconds: window.Seconds()})
	if err != nil {
		return 0, fmt.Errorf("db: count login attempt: %w", Translate(err))
	}
	return n, nil
}

// ForgiveLoginAttempt takes back one counted attempt (it succeeded).
func ForgiveLoginAttempt(ctx context.Context, q DBTX, key string) error {
	if err := queries.ForgiveLoginAttempt(ctx, q, key); err != nil {
		return fmt.Errorf("db: forgive login attempt: %w", Translate(err))
	}
	return nil
}

// ClearLoginThrottle forgets every attempt counted against key.
func ClearLoginThrottle(ctx context.Context, q DBTX, key string) error {
	if err := queries.ClearLoginThrottle(ctx, q, key); err != nil {
		return fmt.Errorf("db: clear login throttle: %w", Translate(err))
	}
	return nil
}

// DeleteStaleLoginThrottle drops counters whose window has passed.
func DeleteStaleLoginThrottle(ctx context.Context, q DBTX, window time.Duration) error {
	if err := queries.DeleteStaleLoginThrottle(ctx, q, window.Seconds()); err != nil {
		return fmt.Errorf("db: delete stale login throttle: %w", Translate(err))
	}
	return nil
}
