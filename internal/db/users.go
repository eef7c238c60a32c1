package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// User is a staff account as stored. PasswordHash is an argon2id PHC string;
// it leaves this package only towards the code that verifies passwords.
type User struct {
	ID           int64
	Username     string
	DisplayName  string
	Email        string
	PasswordHash string
	Roles        []string
	Disabled     bool
	// MustChangePassword: someone else chose the password (a generated
	// one); the user must choose their own before doing anything else.
	MustChangePassword bool
	PasswordChangedAt  time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Language and TimeZone are the person's own choices, "" when not
	// chosen (the browser's language, the console's default zone).
	Language string
	TimeZone string
}

// NewUser is what InsertUser needs.
type NewUser struct {
	Username     string
	DisplayName  string
	Email        string
	PasswordHash string
	Roles        []string
	// MustChangePassword: the password was generated, not the user's own.
	MustChangePassword bool
}

// UserProfile is the part of a user an admin edits.
type UserProfile struct {
	DisplayName string
	Email       string
	Roles       []string
}

func userFrom(u sqlcgen.User) User {
	return User{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		PasswordHash: u.PasswordHash, Roles: u.Roles, Disabled: u.Disabled,
		MustChangePassword: u.MustChangePassword, PasswordChangedAt: u.PasswordChangedAt, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
		Language: deref(u.Language), TimeZone: deref(u.TimeZone),
	}
}

// orNull is "" as NULL.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// UpdateUserPreferences sets a user's language and time zone ("" clears a
// choice).
func UpdateUserPreferences(ctx context.Context, q DBTX, id int64, language, timeZone string) (User, error) {
	row, err := queries.UpdateUserPreferences(ctx, q, sqlcgen.UpdateUserPreferencesParams{
		ID: id, Language: orNull(language), TimeZone: orNull(timeZone),
	})
	if err != nil {
		return User{}, fmt.Errorf("db: update preferences of user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// InsertUser creates a user. A username taken in any letter case is ErrConflict.
func InsertUser(ctx context.Context, q DBTX, u NewUser) (User, error) {
	row, err := queries.InsertUser(ctx, q, sqlcgen.InsertUserParams{
		Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		PasswordHash: u.PasswordHash, Roles: nonNil(u.Roles), MustChangePassword: u.MustChangePassword,
	})
	if err != nil {
		return User{}, fmt.Errorf("db: insert user: %w", Translate(err))
	}
	return userFrom(row), nil
}

// GetUser returns the user with the id, or ErrNotFound.
func GetUser(ctx context.Context, q DBTX, id int64) (User, error) {
	row, err := queries.GetUser(ctx, q, id)
	if err != nil {
		return User{}, fmt.Errorf("db: get user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// GetUserForUpdate is GetUser that also locks the row until the transaction
// ends, so a check and the change it guards cannot be interleaved.
func GetUserForUpdate(ctx context.Context, q DBTX, id int64) (User, error) {
	row, err := queries.GetUserForUpdate(ctx, q, id)
	if err != nil {
		return User{}, fmt.Errorf("db: lock user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// GetUserByUsername finds a user ignoring letter case, or ErrNotFound.
func GetUserByUsername(ctx context.Context, q DBTX, username string) (User, error) {
	row, err := queries.GetUserByUsername(ctx, q, username)
	if err != nil {
		// The username is not in the message: it may be a mistyped password.
		return User{}, fmt.Errorf("db: get user by username: %w", Translate(err))
	}
	return userFrom(row), nil
}

// ListUsers lists every user by username.
func ListUsers(ctx context.Context, q DBTX) ([]User, error) {
	rows, err := queries.ListUsers(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list users: %w", Translate(err))
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = userFrom(r)
	}
	return out, nil
}

// CountUsers counts every user, disabled ones included.
func CountUsers(ctx context.Context, q DBTX) (int64, error) {
	n, err := queries.CountUsers(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("db: count users: %w", Translate(err))
	}
	return n, nil
}

// LockActiveAdmins locks the enabled admins and returns their ids. Call it in
// the transaction that might remove one, before deciding.
func LockActiveAdmins(ctx context.Context, q DBTX) ([]int64, error) {
	ids, err := queries.LockActiveAdmins(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: lock admins: %w", Translate(err))
	}
	return ids, nil
}

// UpdateUserProfile sets a user's display name, email and roles.
func UpdateUserProfile(ctx context.Context, q DBTX, id int64, p UserProfile) (User, error) {
	row, err := queries.UpdateUserProfile(ctx, q, sqlcgen.UpdateUserProfileParams{
		ID: id, DisplayName: p.DisplayName, Email: p.Email, Roles: nonNil(p.Roles),
	})
	if err != nil {
		return User{}, fmt.Errorf("db: update user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// UpdateUserPassword stores a new password hash and records when it
// changed; mustChange says whether the user must replace it at sign-in (it
// was generated rather than chosen by the user).
func UpdateUserPassword(ctx context.Context, q DBTX, id int64, hash string, mustChange bool) (User, error) {
	row, err := queries.UpdateUserPassword(ctx, q, sqlcgen.UpdateUserPasswordParams{ID: id, PasswordHash: hash, MustChangePassword: mustChange})
	if err != nil {
		return User{}, fmt.Errorf("db: update password of user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// RehashUserPassword replaces oldHash with newHash for the same password; it
// does nothing if the hash changed meanwhile.
func RehashUserPassword(ctx context.Context, q DBTX, id int64, oldHash, newHash string) error {
	err := queries.RehashUserPassword(ctx, q, sqlcgen.RehashUserPasswordParams{ID: id, PasswordHash: newHash, OldHash: oldHash})
	if err != nil {
		return fmt.Errorf("db: rehash password of user %d: %w", id, Translate(err))
	}
	return nil
}

// UpdateUserDisabled disables or enables a user.
func UpdateUserDisabled(ctx context.Context, q DBTX, id int64, disabled bool) (User, error) {
	row, err := queries.UpdateUserDisabled(ctx, q, sqlcgen.UpdateUserDisabledParams{ID: id, Disabled: disabled})
	if err != nil {
		return User{}, fmt.Errorf("db: set disabled of user %d: %w", id, Translate(err))
	}
	return userFrom(row), nil
}

// nonNil keeps a NOT NULL text[] column from receiving NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
