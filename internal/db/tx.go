package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Pool is what the services hold: something that runs queries and starts
// transactions (a *pgxpool.Pool in the console, the same in tests).
type Pool interface {
	DBTX
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction (pgx.BeginFunc), committing when fn
// returns nil and rolling back otherwise; fn's error comes back unchanged.
// A failed BEGIN or COMMIT is wrapped to say which, and a commit's error is
// translated (a deferred constraint can refuse it). If ctx is cancelled, pgx
// closes the connection instead of rolling back on it, which ends the
// transaction just the same.
func InTx(ctx context.Context, p Pool, fn func(tx pgx.Tx) error) error {
	var ran bool
	var fnErr error
	err := pgx.BeginFunc(ctx, p, func(tx pgx.Tx) error {
		ran = true
		fnErr = fn(tx)
		return fnErr
	})
	switch {
	case err == nil:
		return nil
	case !ran:
		return fmt.Errorf("db: begin: %w", err)
	case fnErr != nil:
		return fnErr
	default:
		return fmt.Errorf("db: commit: %w", Translate(err))
	}
}

// AdvisoryXactLock takes a transaction-scoped advisory lock: other
// transactions asking for the same key wait until this one ends.
func AdvisoryXactLock(ctx context.Context, q DBTX, key int64) error {
	if err := queries.AdvisoryXactLock(ctx, q, key); err != nil {
		return fmt.Errorf("db: advisory lock: %w", err)
	}
	return nil
}

// InTxRetry is InTx, tried again (up to attempts times in all) when
// Postgres aborted the transaction to break a deadlock or a serialization
// conflict: the database undid everything, so running fn again is safe. It is
// for writes that must not be lost, such as the outcome of a purchase call.
func InTxRetry(ctx context.Context, p Pool, attempts int, fn func(tx pgx.Tx) error) error {
	var err error
	for i := 0; i < max(attempts, 1); i++ {
		if err = InTx(ctx, p, fn); !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports deadlock_detected and serialization_failure.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// MayBeUnavailable reports whether err may come from the database being out
// of reach for a while (a restart, a lost connection, a failover, too many
// clients) rather than from the statement itself: then the same write can
// succeed later. Errors Postgres answered for the statement (constraint,
// syntax, not found) say the write itself is wrong and are not.
func MayBeUnavailable(err error) bool {
	if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, ErrStale) {
		return false
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		// Refused at the door (starting up, shutting down, not accepting
		// connections, unreachable): the statement never ran.
		return true
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pgErr.Code[:2] {
		case "08", "40", "53", "57", "58": // connection, rollback, resources, operator intervention, system
			return true
		}
		return false
	}
	// Anything else came from below the statement: the network, the pool,
	// a timeout.
	return true
}
