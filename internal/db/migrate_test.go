package db_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func TestMigrateFromEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Open(t, dbtest.NewEmptyURL(t))

	err := db.CheckSchema(ctx, pool)
	if !errors.Is(err, db.ErrSchemaOutdated) {
		t.Fatalf("empty database: CheckSchema = %v, want ErrSchemaOutdated", err)
	}
	st, err := db.Status(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != 0 || st.Latest < 1 || st.RiverPending < 1 {
		t.Fatalf("empty database status = %+v", st)
	}
	// Status only reads: it must not have created tern's table.
	var exists bool
	if err := pool.QueryRow(ctx, "SELECT to_regclass('schema_version') IS NOT NULL").Scan(&exists); err != nil || exists {
		t.Fatalf("Status created schema_version (exists=%v, err=%v)", exists, err)
	}

	log := slog.New(slog.DiscardHandler)
	if err := db.Migrate(ctx, pool, log); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx, pool); err != nil {
		t.Fatalf("after Migrate: %v", err)
	}
	// A second run (another replica starting) changes nothing and succeeds.
	if err := db.Migrate(ctx, pool, log); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	// River's tables are there for the job queue.
	if err := pool.QueryRow(ctx, "SELECT to_regclass('river_job') IS NOT NULL").Scan(&exists); err != nil || !exists {
		t.Fatalf("river_job missing after Migrate (err=%v)", err)
	}
}

func TestCheckSchemaNewerDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if _, err := pool.Exec(ctx, "UPDATE schema_version SET version = version + 1"); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckSchema(ctx, pool); !errors.Is(err, db.ErrSchemaNewer) {
		t.Fatalf("CheckSchema = %v, want ErrSchemaNewer", err)
	}
}
