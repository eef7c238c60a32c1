// Package auth is who may use the console: staff accounts, password hashing,
// sign-in with throttling, sessions (including a gorilla/sessions store on
// Postgres) and the audit events for all of them. It knows nothing of echo or
// HTML; the web layer calls it.
package auth

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"dealdesk/internal/db"
)

// Config is what the service needs from the console's configuration.
type Config struct {
	// SessionKey signs session cookies (CONSOLE_SESSION_KEY).
	SessionKey []byte
	// IdleTimeout ends a session unused for this long.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, used or not.
	MaxAge time.Duration
	// Throttle limits sign-in attempts; zero fields take DefaultThrottle's.
	Throttle ThrottleConfig
	// Hash sets argon2id's cost; the zero value means DefaultHashParams.
	Hash HashParams
}

// Service runs every operation on users and sessions. Each change runs in one
// transaction with the audit event that records it.
type Service struct {
	pool  db.Pool
	cfg   Config
	store *Store
	// dummyHash is verified against when a username matches nobody, so an
	// unknown username costs the same time as a wrong password.
	dummyHash string
}

// NewService builds the service on a pool.
func NewService(pool db.Pool, cfg Config) (*Service, error) {
	if len(cfg.SessionKey) < 32 {
		return nil, errors.New("auth: the session key must be at least 32 bytes")
	}
	if cfg.IdleTimeout <= 0 || cfg.MaxAge <= 0 {
		return nil, errors.New("auth: session timeouts must be positive")
	}
	if cfg.Hash == (HashParams{}) {
		cfg.Hash = DefaultHashParams
	}
	cfg.Throttle = cfg.Throttle.withDefaults()
	dummy, err := HashPassword(GeneratePassword(), cfg.Hash)
	if err != nil {
		return nil, err
	}
	s := &Service{pool: pool, cfg: cfg, dummyHash: dummy}
	s.store = newStore(s)
	return s, nil
}

// Config returns the service's settings (timeouts for pages that show them).
func (s *Service) Config() Config { return s.cfg }

// Client describes where a request came from, for sessions and the audit log.
type Client struct {
	RemoteAddr string
	UserAgent  string
	RequestID  string
}

// Actor is who asks for a change: a signed-in user, or the system (the
// command line) when UserID is 0.
type Actor struct {
	UserID int64
	// Via names the channel for system actors, such as "cli".
	Via string
	Client
}

// SystemActor is the command line's actor.
func SystemActor(via string) Actor { return Actor{Via: via} }

func (a Actor) auditName() string {
	if a.UserID == 0 {
		return "system"
	}
	return strconv.FormatInt(a.UserID, 10)
}

// event fills an audit event's who-and-where fields.
func (a Actor) event(action, subject string, details map[string]any) db.AuditEvent {
	if details == nil {
		details = map[string]any{}
	}
	if a.Via != "" {
		details["via"] = a.Via
	}
	return db.AuditEvent{
		Actor: a.auditName(), Action: action, Subject: subject,
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	}
}

func userSubject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// User is a staff account as the rest of the console sees it: never with its
// password hash.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Email       string
	Roles       []Role
	Disabled    bool
	// MustChangePassword: the password was generated (created or reset by
	// an admin); every page but changing it and signing out waits for the
	// user to choose their own.
	MustChangePassword bool
	PasswordChangedAt  time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	// Language ("en", "zh-CN") and TimeZone (an IANA name) are the
	// person's own choices, "" when not chosen.
	Language string
	TimeZone string
}

// Has reports whether the user holds the role.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// HasAny reports whether the user holds at least one of the roles.
func (u User) HasAny(rs ...Role) bool {
	return slices.ContainsFunc(rs, u.Has)
}

func userFrom(u db.User) User {
	roles := make([]Role, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, Role(r))
	}
	return User{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		Roles: roles, Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, PasswordChangedAt: u.PasswordChangedAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
		Language: u.Language, TimeZone: u.TimeZone,
	}
}
