package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// ReserveRateSlot reserves the next slot of key, spacing apart from the
// slot before, and returns how long to wait for it (zero or less: go now).
// The database's clock decides, in one upsert that holds no lock past the
// statement, so every replica shares one schedule per key.
func ReserveRateSlot(ctx context.Context, q DBTX, key string, spacing time.Duration) (time.Duration, error) {
	wait, err := queries.ReserveRateSlot(ctx, q, sqlcgen.ReserveRateSlotParams{
		Key: key, SpacingSeconds: spacing.Seconds(),
	})
	if err != nil {
		return 0, fmt.Errorf("db: reserve a rate-limit slot: %w", err)
	}
	return time.Duration(wait * float64(time.Second)), nil
}

// SweepRateLimitSlots deletes the slots of keys unused for olderThan, and
// returns how many.
func SweepRateLimitSlots(ctx context.Context, q DBTX, olderThan time.Duration) (int64, error) {
	n, err := queries.SweepRateLimitSlots(ctx, q, olderThan.Seconds())
	if err != nil {
		return 0, fmt.Errorf("db: sweep rate-limit slots: %w", Translate(err))
	}
	return n, nil
}
