package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// APIToken is a bearer token of the JSON API as stored: never the token,
// only its sha256 and a short prefix people recognise it by.
type APIToken struct {
	ID         int64
	Kind       string
	UserID     int64
	CreatedBy  int64
	Name       string
	Prefix     string
	Scopes     []string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	RevokedBy  *int64
}

// NewAPIToken is what InsertAPIToken needs.
type NewAPIToken struct {
	Kind      string
	UserID    int64
	CreatedBy int64
	Name      string
	SHA256    []byte
	Prefix    string
	Scopes    []string
	ExpiresAt time.Time
}

func apiTokenFrom(t sqlcgen.ApiToken) APIToken {
	return APIToken{
		ID: t.ID, Kind: t.Kind, UserID: t.UserID, CreatedBy: t.CreatedBy, Name: t.Name, Prefix: t.Prefix,
		Scopes: t.Scopes, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt,
		RevokedAt: t.RevokedAt, RevokedBy: t.RevokedBy,
	}
}

func apiTokensFrom(rows []sqlcgen.ApiToken) []APIToken {
	out := make([]APIToken, len(rows))
	for i, r := range rows {
		out[i] = apiTokenFrom(r)
	}
	return out
}

// InsertAPIToken stores a token's hash. A live token of the same owner and
// name is ErrConflict.
func InsertAPIToken(ctx context.Context, q DBTX, t NewAPIToken) (APIToken, error) {
	row, err := queries.InsertAPIToken(ctx, q, sqlcgen.InsertAPITokenParams{
		Kind: t.Kind, UserID: t.UserID, CreatedBy: t.CreatedBy, Name: t.Name, TokenSha256: t.SHA256,
		Prefix: t.Prefix, Scopes: nonNil(t.Scopes), ExpiresAt: t.ExpiresAt,
	})
	if err != nil {
		return APIToken{}, fmt.Errorf("db: insert api token: %w", Translate(err))
	}
	return apiTokenFrom(row), nil
}

// LiveAPIToken finds the unexpired, unrevoked token with this hash whose
// user is enabled, with that user; ErrNotFound otherwise.
func LiveAPIToken(ctx context.Context, q DBTX, sha []byte) (APIToken, User, error) {
	row, err := queries.GetLiveAPIToken(ctx, q, sha)
	if err != nil {
		return APIToken{}, User{}, fmt.Errorf("db: find api token: %w", Translate(err))
	}
	return apiTokenFrom(row.ApiToken), userFrom(row.User), nil
}

// TouchAPIToken records that the token was used (at most once a minute).
func TouchAPIToken(ctx context.Context, q DBTX, id int64) error {
	if err := queries.TouchAPIToken(ctx, q, id); err != nil {
		return fmt.Errorf("db: touch api token %d: %w", id, err)
	}
	return nil
}

// GetAPIToken reads one token.
func GetAPIToken(ctx context.Context, q DBTX, id int64) (APIToken, error) {
	row, err := queries.GetAPIToken(ctx, q, id)
	if err != nil {
		return APIToken{}, fmt.Errorf("db: get api token %d: %w", id, Translate(err))
	}
	return apiTokenFrom(row), nil
}

// ListPersonalAPITokens lists a person's tokens, live ones first.
func ListPersonalAPITokens(ctx context.Context, q DBTX, userID int64) ([]APIToken, error) {
	rows, err := queries.ListAPITokensOfUser(ctx, q, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list api tokens: %w", err)
	}
	return apiTokensFrom(rows), nil
}

// ListServiceAPITokens lists every service token, live ones first.
func ListServiceAPITokens(ctx context.Context, q DBTX) ([]APIToken, error) {
	rows, err := queries.ListServiceAPITokens(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list service tokens: %w", err)
	}
	return apiTokensFrom(rows), nil
}

// RevokeAPIToken revokes a live token; ErrNotFound when it is already
// revoked or does not exist.
func RevokeAPIToken(ctx context.Context, q DBTX, id, by int64) (APIToken, error) {
	row, err := queries.RevokeAPIToken(ctx, q, sqlcgen.RevokeAPITokenParams{ID: id, RevokedBy: &by})
	if err != nil {
		return APIToken{}, fmt.Errorf("db: revoke api token %d: %w", id, Translate(err))
	}
	return apiTokenFrom(row), nil
}

// IdempotencyKey is a create's Idempotency-Key as stored.
type IdempotencyKey struct {
	UserID        int64
	Key           string
	RequestSHA256 string
	OrderID       int64
}

// ClaimIdempotencyKey stores key for orderID in the caller's transaction.
// It reports false when another transaction holds the key already (after
// waiting for it to commit): the caller must roll back its order.
func ClaimIdempotencyKey(ctx context.Context, q DBTX, k IdempotencyKey) (bool, error) {
	_, err := queries.ClaimIdempotencyKey(ctx, q, sqlcgen.ClaimIdempotencyKeyParams{
		UserID: k.UserID, Key: k.Key, RequestSha256: k.RequestSHA256, OrderID: k.OrderID,
	})
	if err != nil {
		if err = Translate(err); errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("db: claim idempotency key: %w", err)
	}
	return true, nil
}

// GetIdempotencyKey reads a stored key; ErrNotFound when it is new.
func GetIdempotencyKey(ctx context.Context, q DBTX, userID int64, key string) (IdempotencyKey, error) {
	row, err := queries.GetIdempotencyKey(ctx, q, sqlcgen.GetIdempotencyKeyParams{UserID: userID, Key: key})
	if err != nil {
		return IdempotencyKey{}, fmt.Errorf("db: get idempotency key: %w", Translate(err))
	}
	return IdempotencyKey{UserID: row.UserID, Key: row.Key, RequestSHA256: row.RequestSha256, OrderID: row.OrderID}, nil
}

// TakeRateAllowance asks for one call of key's budget: perSecond calls a
// second on average with bursts of burst. When refused it says how long
// until one more call fits. Every replica shares one budget per key.
func TakeRateAllowance(ctx context.Context, q DBTX, key string, perSecond float64, burst int) (bool, time.Duration, error) {
	spacing := 1 / perSecond
	row, err := queries.TakeRateAllowance(ctx, q, sqlcgen.TakeRateAllowanceParams{
		Key: key, SpacingSeconds: spacing, BurstSeconds: spacing * float64(max(burst, 1)),
	})
	if err != nil {
		return false, 0, fmt.Errorf("db: take rate allowance: %w", err)
	}
	return row.Allowed, time.Duration(row.RetryAfterSeconds * float64(time.Second)), nil
}
