package db_test

import (
	"context"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// ReadSnapshot begins in one statement now (issue 21); what it promises is
// unchanged: a read-only, repeatable-read transaction planning each query
// with its values, and nothing of it left on the connection afterwards.
func TestReadSnapshotIsReadOnlyRepeatableReadWithCustomPlans(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	var iso, ro, plans string
	err := db.ReadSnapshot(ctx, pool, func(q db.DBTX) error {
		return q.QueryRow(ctx, `SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only'),
			current_setting('plan_cache_mode')`).Scan(&iso, &ro, &plans)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.ReadSnapshot(ctx, pool, func(q db.DBTX) error {
		_, err := q.Exec(ctx, `INSERT INTO rate_limit_slots (key, next_at) VALUES ('snapshot-test', now())`)
		return err
	})
	if err == nil {
		t.Error("a write inside the snapshot succeeded; want it refused as read-only")
	}
	if iso != "repeatable read" || ro != "on" || plans != "force_custom_plan" {
		t.Fatalf("inside: isolation %q, read only %q, plan_cache_mode %q", iso, ro, plans)
	}
	// Every pooled connection is back at the defaults (SET LOCAL ended with
	// the transaction).
	conns := pool.Stat().TotalConns()
	for range conns {
		if err := pool.QueryRow(ctx, `SELECT current_setting('plan_cache_mode'), current_setting('transaction_read_only')`).Scan(&plans, &ro); err != nil {
			t.Fatal(err)
		}
		if plans != "auto" || ro != "off" {
			t.Fatalf("after: plan_cache_mode %q, read only %q; want auto and off", plans, ro)
		}
	}
}
