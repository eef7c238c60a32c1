package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// Session is one signed-in browser. ID is the sha256 of the token in the
// browser's cookie; the token itself is never stored.
type Session struct {
	ID         []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	RemoteAddr string
	// Data holds the session's values, such as flash messages.
	Data map[string]any
}

// NewSession is what InsertSession needs.
type NewSession struct {
	ID         []byte
	UserID     int64
	MaxAge     time.Duration
	UserAgent  string
	RemoteAddr string
}

func sessionFrom(s sqlcgen.Session) (Session, error) {
	out := Session{
		ID: s.ID, UserID: s.UserID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt,
		ExpiresAt: s.ExpiresAt, UserAgent: s.UserAgent, RemoteAddr: s.RemoteAddr,
	}
	if err := json.Unmarshal(s.Data, &out.Data); err != nil {
		return out, fmt.Errorf("db: session data: %w", err)
	}
	if out.Data == nil {
		out.Data = map[string]any{}
	}
	return out, nil
}

// InsertSession stores a new session that expires MaxAge from now by the
// database's clock.
func InsertSession(ctx context.Context, q DBTX, s NewSession) (Session, error) {
	row, err := queries.InsertSession(ctx, q, sqlcgen.InsertSessionParams{
		ID: s.ID, UserID: s.UserID, MaxAgeSeconds: s.MaxAge.Seconds(),
		UserAgent: s.UserAgent, RemoteAddr: s.RemoteAddr,
	})
	if err != nil {
		return Session{}, fmt.Errorf("db: insert session: %w", Translate(err))
	}
	return sessionFrom(row)
}

// GetActiveSession returns a session and its user when the session is within
// both timeouts and the user is enabled; otherwise ErrNotFound.
func GetActiveSession(ctx context.Context, q DBTX, id []byte, idle time.Duration) (Session, User, error) {
	row, err := queries.GetActiveSession(ctx, q, sqlcgen.GetActiveSessionParams{ID: id, IdleSeconds: idle.Seconds()})
	if err != nil {
		return Session{}, User{}, fmt.Errorf("db: get session: %w", Translate(err))
	}
	s, err := sessionFrom(row.Session)
	return s, userFrom(row.User), err
}

// LoadActiveSession is GetActiveSession that also moves last_seen_at to
// now (at most once a minute), in one statement: what every request costs.
func LoadActiveSession(ctx context.Context, q DBTX, id []byte, idle time.Duration) (Session, User, error) {
	row, err := queries.LoadActiveSession(ctx, q, sqlcgen.LoadActiveSessionParams{ID: id, IdleSeconds: idle.Seconds()})
	if err != nil {
		return Session{}, User{}, fmt.Errorf("db: load session: %w", Translate(err))
	}
	s, err := sessionFrom(row.Session)
	return s, userFrom(row.User), err
}

// UpdateSessionData replaces a session's values. A session that no longer
// exists is ErrNotFound.
func UpdateSessionData(ctx context.Context, q DBTX, id []byte, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("db: session data: %w", err)
	}
	n, err := queries.UpdateSessionData(ctx, q, sqlcgen.UpdateSessionDataParams{ID: id, Data: raw})
	if err != nil {
		return fmt.Errorf("db: update session data: %w", Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: update session data: %w", ErrNotFound)
	}
	return nil
}

// DeleteSession removes a session; it reports whether there was one.
func DeleteSession(ctx context.Context, q DBTX, id []byte) (bool, error) {
	n, err := queries.DeleteSession(ctx, q, id)
	if err != nil {
		return false, fmt.Errorf("db: delete session: %w", Translate(err))
	}
	return n > 0, nil
}

// DeleteUserSession removes one session of one user, reporting whether it
// existed; a session of another user is left alone.
func DeleteUserSession(ctx context.Context, q DBTX, userID int64, id []byte) (bool, error) {
	n, err := queries.DeleteUserSession(ctx, q, sqlcgen.DeleteUserSessionParams{ID: id, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("db: delete session of user %d: %w", userID, Translate(err))
	}
	return n > 0, nil
}

// DeleteUserSessions ends every session of a user and says how many.
func DeleteUserSessions(ctx context.Context, q DBTX, userID int64) (int64, error) {
	n, err := queries.DeleteUserSessions(ctx, q, userID)
	if err != nil {
		return 0, fmt.Errorf("db: delete sessions of user %d: %w", userID, Translate(err))
	}
	return n, nil
}

// ListUserSessions lists a user's live sessions, most recently used first.
func ListUserSessions(ctx context.Context, q DBTX, userID int64, idle time.Duration) ([]Session, error) {
	rows, err := queries.ListUserSessions(ctx, q, sqlcgen.ListUserSessionsParams{UserID: userID, IdleSeconds: idle.Seconds()})
	if err != nil {
		return nil, fmt.Errorf("db: list sessions of user %d: %w", userID, Translate(err))
	}
	out := make([]Session, 0, len(rows))
	for _, r := range rows {
		s, err := sessionFrom(r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// DeleteExpiredSessions removes every session past its absolute expiry and
// the idle sessions of one user (the one signing in), keeping the table small
// without a full scan.
func DeleteExpiredSessions(ctx context.Context, q DBTX, userID int64, idle time.Duration) (int64, error) {
	n, err := queries.DeleteExpiredSessions(ctx, q, sqlcgen.DeleteExpiredSessionsParams{UserID: userID, IdleSeconds: idle.Seconds()})
	if err != nil {
		return 0, fmt.Errorf("db: delete expired sessions: %w", Translate(err))
	}
	return n, nil
}

// SweepSessions deletes every session past its absolute expiry or idle for
// longer than idle, and returns how many.
func SweepSessions(ctx context.Context, q DBTX, idle time.Duration) (int64, error) {
	n, err := queries.SweepSessions(ctx, q, idle.Seconds())
	if err != nil {
		return 0, fmt.Errorf("db: sweep sessions: %w", Translate(err))
	}
	return n, nil
}
