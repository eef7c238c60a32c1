package db

import (
	"context"
	"fmt"

	"dealdesk/internal/db/sqlcgen"
)

// UserIdentity links a user to an identity provider's subject.
type UserIdentity struct {
	Issuer  string
	Subject string
	UserID  int64
}

// LockUserIdentity finds (and locks until the transaction ends) the user an
// identity provider's subject signs in as; ErrNotFound for a first sign-in.
func LockUserIdentity(ctx context.Context, q DBTX, issuer, subject string) (UserIdentity, error) {
	row, err := queries.GetUserIdentity(ctx, q, sqlcgen.GetUserIdentityParams{Issuer: issuer, Subject: subject})
	if err != nil {
		return UserIdentity{}, fmt.Errorf("db: get user identity: %w", Translate(err))
	}
	return UserIdentity{Issuer: row.Issuer, Subject: row.Subject, UserID: row.UserID}, nil
}

// InsertUserIdentity links a subject to a user. A subject already linked
// is ErrConflict.
func InsertUserIdentity(ctx context.Context, q DBTX, id UserIdentity) error {
	err := queries.InsertUserIdentity(ctx, q, sqlcgen.InsertUserIdentityParams{Issuer: id.Issuer, Subject: id.Subject, UserID: id.UserID})
	if err != nil {
		return fmt.Errorf("db: insert user identity: %w", Translate(err))
	}
	return nil
}

// TouchUserIdentity records a sign-in through the identity.
func TouchUserIdentity(ctx context.Context, q DBTX, issuer, subject string) error {
	if err := queries.TouchUserIdentity(ctx, q, sqlcgen.TouchUserIdentityParams{Issuer: issuer, Subject: subject}); err != nil {
		return fmt.Errorf("db: touch user identity: %w", err)
	}
	return nil
}

// SetUserRoles replaces a user's roles (single sign-on takes them from the
// identity provider at every sign-in).
func SetUserRoles(ctx context.Context, q DBTX, id int64, roles []string) error {
	if err := queries.SetUserRoles(ctx, q, sqlcgen.SetUserRolesParams{ID: id, Roles: nonNil(roles)}); err != nil {
		return fmt.Errorf("db: set user roles: %w", Translate(err))
	}
	return nil
}
