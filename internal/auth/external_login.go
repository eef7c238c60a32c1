package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// ExternalLogin is a sign-in an identity provider vouched for (OIDC: the
// ID token was verified, its nonce matched). Roles are what the provider's
// claim maps to in the console's configuration.
type ExternalLogin struct {
	Issuer, Subject string
	// Username is wanted for a first sign-in; later ones keep the user's.
	Username    string
	DisplayName string
	Email       string
	Roles       []Role
	Client      Client
	// PreviousSession is replaced, as a password sign-in replaces it.
	PreviousSession []byte
}

// ErrExternalRefused is a provider's sign-in the console will not accept
// (the user is disabled, or the username is another person's); its message
// is ExternalRefusedMessage.
var ErrExternalRefused = errors.New("auth: single sign-on refused")

// ExternalRefusedMessage is all a refused person is told.
const ExternalRefusedMessage = "Your identity provider signed you in, but this console cannot: your account here is disabled, or your username belongs to another account. Ask an admin."

// LoginExternal signs in the person an identity provider vouched for: the
// user linked to (issuer, subject), created with a random password at the
// first sign-in, with its roles replaced by in.Roles. One transaction holds
// the user, the link, the session and the audit event.
func (s *Service) LoginExternal(ctx context.Context, in ExternalLogin) (User, IssuedSession, error) {
	if in.Issuer == "" || in.Subject == "" {
		return User{}, IssuedSession{}, errors.New("auth: external login without issuer or subject")
	}
	roles := roleStrings(in.Roles)
	var (
		user    db.User
		issued  IssuedSession
		refused string
	)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		link, err := db.LockUserIdentity(ctx, tx, in.Issuer, in.Subject)
		created := false
		switch {
		case errors.Is(err, db.ErrNotFound):
			user, err = s.createExternalUser(ctx, tx, in, roles)
			if errors.Is(err, db.ErrConflict) {
				refused = "username taken"
				return nil
			}
			if err != nil {
				return err
			}
			created = true
		case err != nil:
			return err
		default:
			if user, err = db.GetUserForUpdate(ctx, tx, link.UserID); err != nil {
				return err
			}
		}
		if user.Disabled {
			refused = "account disabled"
			return nil
		}
		if !created {
			if err := db.TouchUserIdentity(ctx, tx, in.Issuer, in.Subject); err != nil {
				return err
			}
		}
		actor := Actor{UserID: user.ID, Client: in.Client, Via: "oidc"}
		if !created && !slices.Equal(user.Roles, roles) {
			if err := db.SetUserRoles(ctx, tx, user.ID, roles); err != nil {
				return err
			}
			if _, err := db.AppendAudit(ctx, tx, actor.event(db.ActionUserUpdated, userSubject(user.ID), map[string]any{
				"roles_from": user.Roles, "roles": roles, "source": "identity provider",
			})); err != nil {
				return err
			}
			user.Roles = roles
		}
		if len(in.PreviousSession) > 0 {
			if _, err := db.DeleteSession(ctx, tx, in.PreviousSession); err != nil {
				return err
			}
		}
		if issued, err = s.startSession(ctx, tx, user.ID, in.Client); err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionLogin, userSubject(user.ID), map[string]any{
			"session": issued.Label(), "issuer": in.Issuer, "roles": roles,
		}))
		return err
	})
	if err != nil {
		return User{}, IssuedSession{}, fmt.Errorf("auth: external login: %w", err)
	}
	if refused != "" {
		s.auditRefusedExternal(ctx, in, user, refused)
		return User{}, IssuedSession{}, ErrExternalRefused
	}
	return userFrom(user), issued, nil
}

// createExternalUser creates the user of a first sign-in and its link.
func (s *Service) createExternalUser(ctx context.Context, tx pgx.Tx, in ExternalLogin, roles []string) (db.User, error) {
	hash, err := HashPassword(GeneratePassword(), s.cfg.Hash)
	if err != nil {
		return db.User{}, err
	}
	name := strings.TrimSpace(in.DisplayName)
	if name == "" || len([]rune(name)) > MaxDisplayNameLen || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		name = in.Username
	}
	email := strings.TrimSpace(in.Email)
	if len(email) > MaxEmailLen || strings.IndexFunc(email, unicode.IsControl) >= 0 {
		email = ""
	}
	// A savepoint: a taken username must not abort the transaction.
	sp, err := tx.Begin(ctx)
	if err != nil {
		return db.User{}, err
	}
	u, err := db.InsertUser(ctx, sp, db.NewUser{Username: in.Username, DisplayName: name, Email: email, PasswordHash: hash, Roles: roles})
	if err != nil {
		_ = sp.Rollback(ctx)
		return db.User{}, err
	}
	if err := sp.Commit(ctx); err != nil {
		return db.User{}, err
	}
	if err := db.InsertUserIdentity(ctx, tx, db.UserIdentity{Issuer: in.Issuer, Subject: in.Subject, UserID: u.ID}); err != nil {
		return db.User{}, err
	}
	_, err = db.AppendAudit(ctx, tx, Actor{Client: in.Client, Via: "oidc"}.event(db.ActionUserCreated, userSubject(u.ID), map[string]any{
		"username": u.Username, "roles": u.Roles, "issuer": in.Issuer, "source": "identity provider",
	}))
	return u, err
}

func (s *Service) auditRefusedExternal(ctx context.Context, in ExternalLogin, u db.User, reason string) {
	_ = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := db.AppendAudit(ctx, tx, loginAuditEvent(Actor{Client: in.Client, Via: "oidc"}, db.ActionLoginFailed, u, map[string]any{
			"reason": reason, "issuer": in.Issuer,
		}))
		return err
	})
}

// UsernameFrom makes a console username of what a provider calls someone
// (preferred_username, or an email): the characters a username may hold,
// at most 64; "" when nothing usable is left.
func UsernameFrom(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)), strings.ContainsRune("._@-", r):
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	out := strings.TrimLeft(b.String(), "._@-")
	if len(out) > 64 {
		out = out[:64]
	}
	if !usernamePattern.MatchString(out) {
		return ""
	}
	return out
}
