package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"dealdesk/migrations"
)

// versionTable is where tern records the console's schema version.
const versionTable = "schema_version"

// ErrSchemaOutdated means the database lacks migrations this binary needs.
var ErrSchemaOutdated = errors.New("db: the database schema is older than this console; run `console migrate` (or `console serve -migrate`)")

// ErrSchemaNewer means the database was migrated by a newer console.
var ErrSchemaNewer = errors.New("db: the database schema is newer than this console; upgrade the console")

// SchemaStatus says where the database stands against the embedded migrations.
type SchemaStatus struct {
	Current, Latest int32
	// RiverPending is how many of River's own migrations are not applied.
	RiverPending int
}

// Migrate applies the console's migrations (tern, which holds an advisory
// lock so two replicas starting at once take turns) and then River's own
// migrations, which River versions separately so its upgrades stay its own.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	if err := withConn(ctx, pool, func(conn *pgx.Conn) error {
		m, err := loadMigrations(ctx, conn)
		if err != nil {
			return err
		}
		m.OnStart = func(seq int32, name, direction, _ string) {
			log.Info("applying migration", "sequence", seq, "name", name, "direction", direction)
		}
		if err := m.Migrate(ctx); err != nil {
			return fmt.Errorf("db: migrate: %w", err)
		}
		return nil
	}); err != nil {
		return err
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("db: river migrator: %w", err)
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("db: river migrate: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("applied river migration", "version", v.Version, "name", v.Name)
	}
	return nil
}

// Status reports the schema version against the embedded migrations. It only
// reads: a database never migrated reports version 0.
func Status(ctx context.Context, pool *pgxpool.Pool) (SchemaStatus, error) {
	var st SchemaStatus
	m, err := loadMigrations(ctx, nil)
	if err != nil {
		return st, err
	}
	st.Latest = int32Of(len(m.Migrations))
	var haveTern, haveRiver bool
	err = pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL, to_regclass('river_migration') IS NOT NULL`,
		versionTable).Scan(&haveTern, &haveRiver)
	if err != nil {
		return st, fmt.Errorf("db: read schema version: %w", err)
	}
	if haveTern {
		if err := pool.QueryRow(ctx, "SELECT version FROM "+versionTable).Scan(&st.Current); err != nil {
			return st, fmt.Errorf("db: read schema version: %w", err)
		}
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return st, fmt.Errorf("db: river migrator: %w", err)
	}
	st.RiverPending = len(rm.AllVersions())
	if haveRiver {
		existing, err := rm.ExistingVersions(ctx)
		if err != nil {
			return st, fmt.Errorf("db: read river migrations: %w", err)
		}
		st.RiverPending -= len(existing)
	}
	return st, nil
}

// CheckSchema returns ErrSchemaOutdated or ErrSchemaNewer unless the database
// is exactly at the version this binary carries.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool) error {
	st, err := Status(ctx, pool)
	if err != nil {
		return err
	}
	switch {
	case st.Current > st.Latest:
		return fmt.Errorf("%w (database at %d, console knows %d)", ErrSchemaNewer, st.Current, st.Latest)
	case st.Current < st.Latest || st.RiverPending > 0:
		return fmt.Errorf("%w (database at %d of %d, river migrations pending: %d)", ErrSchemaOutdated, st.Current, st.Latest, st.RiverPending)
	}
	return nil
}

// loadMigrations builds tern's migrator; with a nil conn it only loads the
// files (tern creates its version table when given a connection).
func loadMigrations(ctx context.Context, conn *pgx.Conn) (*migrate.Migrator, error) {
	m, err := migrate.NewMigratorEx(ctx, conn, versionTable, &migrate.MigratorOptions{})
	if err != nil {
		return nil, fmt.Errorf("db: migrator: %w", err)
	}
	if err := m.LoadMigrations(fs.FS(migrations.FS)); err != nil {
		return nil, fmt.Errorf("db: load migrations: %w", err)
	}
	return m, nil
}

// withConn lends fn one connection of the pool: tern works on a *pgx.Conn.
func withConn(ctx context.Context, pool *pgxpool.Pool, fn func(*pgx.Conn) error) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("db: acquire connection: %w", err)
	}
	defer c.Release()
	return fn(c.Conn())
}
