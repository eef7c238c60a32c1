package db

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotFound means the row asked for does not exist.
var ErrNotFound = errors.New("db: not found")

// ErrConflict means a unique constraint refused the write.
var ErrConflict = errors.New("db: conflict")

// Translate maps pgx errors to the package's sentinel errors, wrapping the
// original so the full cause still reaches the logs.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return errors.Join(ErrNotFound, err)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return errors.Join(ErrConflict, err)
	}
	return err
}
