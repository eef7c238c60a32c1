// Package dbtest gives each test a real, migrated Postgres database of its own.
//
// It needs TEST_DATABASE_URL (make test starts a private cluster and sets it).
// Without it the test fails: a test that touches SQL never skips silently.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db"
	"dealdesk/migrations"
)

// New returns a pool on a fresh database migrated to the latest schema. The
// database is dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return Open(t, NewURL(t))
}

// NewURL creates a fresh migrated database and returns its URL, for tests that
// start a console process of their own. Dropped when the test ends.
func NewURL(t testing.TB) string {
	t.Helper()
	return create(t, true)
}

// NewEmptyURL creates a database with no schema at all, for tests of
// migrations themselves. Dropped when the test ends.
func NewEmptyURL(t testing.TB) string {
	t.Helper()
	return create(t, false)
}

func create(t testing.TB, migrated bool) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		t.Fatal("dbtest: TEST_DATABASE_URL is not set; run `make test`, which starts a private Postgres, or point it at a server where the user may create databases")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("dbtest: cannot reach TEST_DATABASE_URL: %v", err)
	}
	defer func() { _ = admin.Close(ctx) }()

	stmt := "CREATE DATABASE %s"
	if migrated {
		tmpl, err := template(ctx, admin, base)
		if err != nil {
			t.Fatalf("dbtest: %v", err)
		}
		stmt += " TEMPLATE " + tmpl
	}
	name := "test_" + randomHex(8)
	if _, err := admin.Exec(ctx, fmt.Sprintf(stmt, name)); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
			return
		}
		defer func() { _ = c.Close(ctx) }()
		if _, err := c.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("dbtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// Open opens a pool on url, closed when the test ends.
func Open(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// template returns the name of a database migrated to the embedded schema,
// creating it once. Its name carries a hash of the migrations, so a changed
// migration gets a new template. An advisory lock makes concurrent test
// binaries take turns building it.
func template(ctx context.Context, admin *pgx.Conn, base string) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "tmpl_" + sum[:16]
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(7211001)"); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock(7211001)") //nolint:errcheck // the lock also ends with the connection
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building)); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	pool, err := db.Open(ctx, withDatabase(base, building))
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	pool.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", fmt.Errorf("rename template: %w", err)
	}
	return name, nil
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	// River's migrations come with the module version; go.sum pins it, and a
	// River upgrade changes the template through this marker.
	fmt.Fprint(h, riverMarker)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		panic("dbtest: TEST_DATABASE_URL must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
