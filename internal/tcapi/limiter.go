package tcapi

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/time/rate"
)

// DefaultRatePerSecond is the documented limit of each action: 20 requests
// per second per account.
const DefaultRatePerSecond = 20

// LimitKey is what one rate limit counts: calls to one action of one
// service signed with one SecretId (a Dealdesk account has one SecretId).
type LimitKey struct {
	SecretID string
	Service  string
	Action   string
}

// Limiter spaces calls out so the service never has to throttle them. Wait
// blocks until a call for key may go and returns an error only when ctx ends
// first. The client holds one Limiter; a deployment with several replicas
// swaps LocalLimiter for one that coordinates through Postgres.
type Limiter interface {
	Wait(ctx context.Context, key LimitKey) error
}

// LocalLimiter limits calls within this process: one token bucket per key.
type LocalLimiter struct {
	perSecond rate.Limit
	mu        sync.Mutex
	buckets   map[LimitKey]*rate.Limiter
}

// NewLocalLimiter allows perSecond calls per second for each key.
//
// Its buckets hold a single token: calls go at most one per 1/perSecond,
// never in a burst. The service counts in its own windows, and a burst
// allowed here could land inside one of them together with the calls of
// the second before; evenly spaced calls cannot.
func NewLocalLimiter(perSecond float64) *LocalLimiter {
	return &LocalLimiter{perSecond: rate.Limit(perSecond), buckets: map[LimitKey]*rate.Limiter{}}
}

// Wait implements Limiter.
func (l *LocalLimiter) Wait(ctx context.Context, key LimitKey) error {
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(l.perSecond, 1)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	if err := b.Wait(ctx); err != nil {
		return fmt.Errorf("tcapi: waiting for the rate limit of %s: %w", key.Action, err)
	}
	return nil
}
