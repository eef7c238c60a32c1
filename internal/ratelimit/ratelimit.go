// Package ratelimit holds the rate limiter every console replica shares
// through Postgres.
//
// It is its own package, not part of db or tcapi, so that each of those
// stays ignorant of the other: tcapi declares the Limiter it needs and knows
// nothing of storage, db keeps the SQL (db.ReserveRateSlot) and knows
// nothing of API calls, and this small adapter, which knows both, is wired
// in by cmd/console.
package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
)

// PgLimiter is tcapi's rate limiter coordinated through Postgres, so that
// every console replica shares one schedule per (account, action): 200 orders
// sent by two replicas still go out at most perSecond a second.
//
// Each call reserves the next slot, evenly spaced, in one upsert; it never
// holds a lock while it waits. A caller whose context ends after reserving
// leaves its slot unused, which can only slow others down, never speed them.
type PgLimiter struct {
	pool    db.DBTX
	spacing time.Duration
}

// NewPgLimiter allows perSecond calls a second per key.
func NewPgLimiter(pool db.DBTX, perSecond float64) *PgLimiter {
	return &PgLimiter{pool: pool, spacing: time.Duration(float64(time.Second) / perSecond)}
}

// Wait implements tcapi.Limiter.
func (l *PgLimiter) Wait(ctx context.Context, key tcapi.LimitKey) error {
	sum := sha256.Sum256([]byte(key.SecretID + "\x00" + key.Service + "\x00" + key.Action))
	wait, err := db.ReserveRateSlot(ctx, l.pool, hex.EncodeToString(sum[:]), l.spacing)
	if err != nil {
		return fmt.Errorf("ratelimit: reserve a slot for %s: %w", key.Action, err)
	}
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("ratelimit: waiting for the rate limit of %s: %w", key.Action, ctx.Err())
	}
}

var _ tcapi.Limiter = (*PgLimiter)(nil)

// Allowance is a per-key budget of calls (the API's per-token limit) shared
// by every replica through Postgres: perSecond calls a second on average,
// bursts of up to burst. Unlike PgLimiter it never waits: a call over the
// budget is refused with how long until one more fits.
type Allowance struct {
	pool      db.DBTX
	perSecond float64
	burst     int
}

// NewAllowance allows perSecond calls a second per key, bursts of burst.
func NewAllowance(pool db.DBTX, perSecond float64, burst int) *Allowance {
	return &Allowance{pool: pool, perSecond: perSecond, burst: burst}
}

// Take spends one call of key's budget, or reports how long to wait.
func (a *Allowance) Take(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error) {
	sum := sha256.Sum256([]byte("allowance\x00" + key))
	ok, retryAfter, err = db.TakeRateAllowance(ctx, a.pool, hex.EncodeToString(sum[:]), a.perSecond, a.burst)
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: take an allowance: %w", err)
	}
	return ok, retryAfter, nil
}
