package auth

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Limits on a user's profile, mirrored by the users table's CHECKs (an
// email address is at most 254 characters by RFC 5321).
const (
	MaxUsernameLen    = 64
	MaxDisplayNameLen = 100
	MaxEmailLen       = 254
)

// usernamePattern matches the users table's CHECK constraint.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// firstAdminLock serialises EnsureFirstAdmin across replicas and commands.
const firstAdminLock = 7211002

// NewUser is what CreateUser needs. An empty Password means "generate one".
type NewUser struct {
	Username    string
	DisplayName string
	Email       string
	Roles       []Role
	Password    string
}

// Profile is the part of a user an admin edits.
type Profile struct {
	DisplayName string
	Email       string
	Roles       []Role
}

// User returns a user by id, or db.ErrNotFound.
func (s *Service) User(ctx context.Context, id int64) (User, error) {
	u, err := db.GetUser(ctx, s.pool, id)
	if err != nil {
		return User{}, fmt.Errorf("auth: %w", err)
	}
	return userFrom(u), nil
}

// UserByUsername returns a user by username in any letter case.
func (s *Service) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := db.GetUserByUsername(ctx, s.pool, strings.TrimSpace(username))
	if err != nil {
		return User{}, fmt.Errorf("auth: %w", err)
	}
	return userFrom(u), nil
}

// Users lists every user by username.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	rows, err := db.ListUsers(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	out := make([]User, len(rows))
	for i, u := range rows {
		out[i] = userFrom(u)
	}
	return out, nil
}

// CreateUser validates and creates a user. When in.Password is empty it
// generates one and returns it: the only time anyone sees it. A username
// taken in any letter case is a fault.Fields on "username".
func (s *Service) CreateUser(ctx context.Context, actor Actor, in NewUser) (User, string, error) {
	in.Username = strings.TrimSpace(in.Username)
	p, errs := validateProfile(Profile{DisplayName: in.DisplayName, Email: in.Email, Roles: in.Roles}, in.Username)
	if in.Username == "" {
		errs.Set("username", "user.username.missing")
	} else if !usernamePattern.MatchString(in.Username) {
		errs.Set("username", "user.username.pattern")
	}
	generated := ""
	if in.Password == "" {
		generated = GeneratePassword()
		in.Password = generated
	} else if msg := checkPasswordPolicy(in.Password, in.Username); msg.Key != "" {
		errs["password"] = msg
	}
	if err := errs.OrNil(); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(in.Password, s.cfg.Hash)
	if err != nil {
		return User{}, "", err
	}
	var created db.User
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		created, err = db.InsertUser(ctx, tx, db.NewUser{
			Username: in.Username, DisplayName: p.DisplayName, Email: p.Email,
			PasswordHash: hash, Roles: roleStrings(p.Roles), MustChangePassword: generated != "",
		})
		if errors.Is(err, db.ErrConflict) {
			return fault.Fields{"username": fault.M("user.username.taken")}
		}
		if err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserCreated, userSubject(created.ID), map[string]any{
			"username": created.Username, "roles": created.Roles, "password_generated": generated != "",
			"must_change_password": created.MustChangePassword,
		}))
		return err
	})
	if err != nil {
		return User{}, "", fmt.Errorf("auth: create user: %w", err)
	}
	return userFrom(created), generated, nil
}

// UpdateProfile changes a user's display name, email and roles. It refuses to
// take the admin role from the last enabled admin.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, id int64, in Profile) (User, error) {
	var updated db.User
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetUserForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		p, errs := validateProfile(in, before.Username)
		if err := errs.OrNil(); err != nil {
			return err
		}
		if was := userFrom(before); !was.Disabled && was.Has(RoleAdmin) && !slices.Contains(p.Roles, RoleAdmin) {
			if err := s.refuseLastAdmin(ctx, tx, id, "roles"); err != nil {
				return err
			}
		}
		updated, err = db.UpdateUserProfile(ctx, tx, id, db.UserProfile{
			DisplayName: p.DisplayName, Email: p.Email, Roles: roleStrings(p.Roles),
		})
		if err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserUpdated, userSubject(id), map[string]any{
			"roles_before": before.Roles, "roles": updated.Roles,
			"display_name": updated.DisplayName, "email_changed": before.Email != updated.Email,
		}))
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("auth: update user %d: %w", id, err)
	}
	return userFrom(updated), nil
}

// SetPassword gives a user a password chosen by someone else (an admin on the
// command line) and ends all the user's sessions.
func (s *Service) SetPassword(ctx context.Context, actor Actor, id int64, password string) error {
	u, err := s.User(ctx, id)
	if err != nil {
		return err
	}
	if msg := checkPasswordPolicy(password, u.Username); msg.Key != "" {
		return fault.Fields{"password": msg}
	}
	return s.replacePassword(ctx, actor, id, password, db.ActionUserPasswordSet, false)
}

// ResetPassword gives a user a generated password, ends their sessions and
// returns the password: the only time anyone sees it.
func (s *Service) ResetPassword(ctx context.Context, actor Actor, id int64) (string, error) {
	pw := GeneratePassword()
	// A generated password is the admin's as much as the user's: the user
	// must choose their own at the next sign-in.
	if err := s.replacePassword(ctx, actor, id, pw, db.ActionUserPasswordReset, true); err != nil {
		return "", err
	}
	return pw, nil
}

func (s *Service) replacePassword(ctx context.Context, actor Actor, id int64, password, action string, mustChange bool) error {
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return err
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := db.UpdateUserPassword(ctx, tx, id, hash, mustChange); err != nil {
			return err
		}
		// A new password must lock out whoever knew the old one, on every
		// browser they signed in with.
		n, err := db.DeleteUserSessions(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(action, userSubject(id), map[string]any{
			"sessions_ended": n, "must_change_password": mustChange,
		}))
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: set password of user %d: %w", id, err)
	}
	return nil
}

// SetDisabled disables or enables a user. Disabling ends every session of
// the user; nobody may disable themselves or the last enabled admin.
func (s *Service) SetDisabled(ctx context.Context, actor Actor, id int64, disabled bool) (User, error) {
	if disabled && actor.UserID == id {
		return User{}, fault.New(fault.Conflict, "user.disable.self")
	}
	var updated db.User
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := db.GetUserForUpdate(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Disabled == disabled {
			updated = before
			return nil // already so: nothing to record
		}
		if disabled && userFrom(before).Has(RoleAdmin) {
			if err := s.refuseLastAdmin(ctx, tx, id, ""); err != nil {
				return err
			}
		}
		if updated, err = db.UpdateUserDisabled(ctx, tx, id, disabled); err != nil {
			return err
		}
		var ended int64
		action := db.ActionUserEnabled
		if disabled {
			action = db.ActionUserDisabled
			if ended, err = db.DeleteUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(action, userSubject(id), map[string]any{"sessions_ended": ended}))
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("auth: set disabled of user %d: %w", id, err)
	}
	return userFrom(updated), nil
}

// refuseLastAdmin fails when id is the only enabled admin. It locks the
// admins first, so two admins demoting each other at once cannot both win.
func (s *Service) refuseLastAdmin(ctx context.Context, tx pgx.Tx, id int64, field string) error {
	admins, err := db.LockActiveAdmins(ctx, tx)
	if err != nil {
		return err
	}
	for _, a := range admins {
		if a != id {
			return nil
		}
	}
	const key = "user.last_admin"
	if field != "" {
		return fault.Fields{field: fault.M(key)}
	}
	return fault.New(fault.Conflict, key)
}

// EnsureFirstAdmin creates the user "admin" with a generated password when
// there is no user at all, and returns the password; created is false (and
// nothing changes) when any user exists.
func (s *Service) EnsureFirstAdmin(ctx context.Context, actor Actor) (u User, password string, created bool, err error) {
	password = GeneratePassword()
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return User{}, "", false, err
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.AdvisoryXactLock(ctx, tx, firstAdminLock); err != nil {
			return err
		}
		n, err := db.CountUsers(ctx, tx)
		if err != nil || n > 0 {
			return err
		}
		row, err := db.InsertUser(ctx, tx, db.NewUser{
			Username: "admin", DisplayName: "Administrator", PasswordHash: hash, Roles: []string{string(RoleAdmin)},
			MustChangePassword: true,
		})
		if err != nil {
			return err
		}
		u, created = userFrom(row), true
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserCreated, userSubject(row.ID), map[string]any{
			"username": row.Username, "roles": row.Roles, "password_generated": true, "first_admin": true,
			"must_change_password": true,
		}))
		return err
	})
	if err != nil || !created {
		return User{}, "", false, err
	}
	return u, password, true, nil
}

// validateProfile trims and checks a profile. An empty display name becomes
// the username.
func validateProfile(p Profile, username string) (Profile, fault.Fields) {
	errs := fault.Fields{}
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if p.DisplayName == "" {
		p.DisplayName = username
	}
	switch {
	case len([]rune(p.DisplayName)) > MaxDisplayNameLen:
		errs.Set("display_name", "text.too_long", "max", strconv.Itoa(MaxDisplayNameLen))
	case strings.IndexFunc(p.DisplayName, unicode.IsControl) >= 0:
		errs.Set("display_name", "name.control_chars")
	}
	p.Email = strings.TrimSpace(p.Email)
	if p.Email != "" {
		a, err := mail.ParseAddress(p.Email)
		if err != nil || a.Address != p.Email || len(p.Email) > MaxEmailLen {
			errs.Set("email", "user.email.invalid")
		}
	}
	roles, err := RolesFromStrings(roleStrings(p.Roles))
	switch {
	case err != nil:
		errs.Set("roles", "user.roles.unknown")
	case len(roles) == 0:
		errs.Set("roles", "user.roles.missing")
	}
	p.Roles = roles
	return p, errs
}
