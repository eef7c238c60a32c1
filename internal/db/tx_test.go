package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func TestInTxRetryRetriesOnlyWhatPostgresAborted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	calls := 0
	err := db.InTxRetry(ctx, pool, 5, func(tx pgx.Tx) error {
		calls++
		if calls < 3 {
			return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
		}
		_, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: "test.retried"})
		return err
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want success on the third", err, calls)
	}
	other := errors.New("a business refusal")
	calls = 0
	if err := db.InTxRetry(ctx, pool, 5, func(pgx.Tx) error { calls++; return other }); !errors.Is(err, other) || calls != 1 {
		t.Fatalf("non-retryable error: %v after %d calls", err, calls)
	}
	calls = 0
	err = db.InTxRetry(ctx, pool, 2, func(pgx.Tx) error { calls++; return &pgconn.PgError{Code: "40001"} })
	if calls != 2 || err == nil {
		t.Fatalf("gave up after %d calls with %v, want 2 and the error", calls, err)
	}
}
