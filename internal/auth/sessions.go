package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// tokenLen is the size of the random session token in the cookie.
const tokenLen = 32

// Session is a signed-in browser as an admin sees it. Its ID is the sha256 of
// the cookie's token: showing it signs nobody in.
type Session struct {
	ID         []byte
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	RemoteAddr string
}

// Ref names the session in forms (hex of its id).
func (s Session) Ref() string { return hex.EncodeToString(s.ID) }

// Label is a short name for the session in pages and the audit log.
func (s Session) Label() string { return sessionLabel(s.ID) }

func sessionLabel(id []byte) string {
	h := hex.EncodeToString(id)
	if len(h) > 8 {
		h = h[:8]
	}
	return h
}

func sessionFrom(s db.Session) Session {
	return Session{
		ID: s.ID, UserID: s.UserID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt,
		ExpiresAt: s.ExpiresAt, UserAgent: s.UserAgent, RemoteAddr: s.RemoteAddr,
	}
}

// IssuedSession is a session just created. Its token is unexported on
// purpose: the only way out of the process is Store.Issue, into the cookie.
type IssuedSession struct {
	Session
	token []byte
}

// hashToken is how a token becomes a session id.
func hashToken(token []byte) []byte {
	sum := sha256.Sum256(token)
	return sum[:]
}

// startSession creates a session for the user in tx.
func (s *Service) startSession(ctx context.Context, tx pgx.Tx, userID int64, c Client) (IssuedSession, error) {
	token := make([]byte, tokenLen)
	if _, err := rand.Read(token); err != nil {
		return IssuedSession{}, fmt.Errorf("auth: session token: %w", err)
	}
	row, err := db.InsertSession(ctx, tx, db.NewSession{
		ID: hashToken(token), UserID: userID, MaxAge: s.cfg.MaxAge,
		UserAgent: cleanText(c.UserAgent, 300), RemoteAddr: cleanText(c.RemoteAddr, 100),
	})
	if err != nil {
		return IssuedSession{}, err
	}
	return IssuedSession{Session: sessionFrom(row), token: token}, nil
}

// Sessions lists a user's live sessions, most recently used first.
func (s *Service) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := db.ListUserSessions(ctx, s.pool, userID, s.cfg.IdleTimeout)
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	out := make([]Session, len(rows))
	for i, r := range rows {
		out[i] = sessionFrom(r)
	}
	return out, nil
}

// EndSession ends one session of a user (an admin's action). A ref that names
// no session of that user is db.ErrNotFound.
func (s *Service) EndSession(ctx context.Context, actor Actor, userID int64, ref string) error {
	id, err := hex.DecodeString(ref)
	if err != nil || len(id) != sha256.Size {
		return fmt.Errorf("auth: end session: malformed reference: %w", db.ErrNotFound)
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ok, err := db.DeleteUserSession(ctx, tx, userID, id)
		if err != nil {
			return err
		}
		if !ok {
			return db.ErrNotFound
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionSessionEnded, userSubject(userID), map[string]any{
			"session": sessionLabel(id), "reason": "ended by admin",
		}))
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: end session of user %d: %w", userID, err)
	}
	return nil
}

// EndAllSessions ends every session of a user and says how many there were.
func (s *Service) EndAllSessions(ctx context.Context, actor Actor, userID int64) (int64, error) {
	var n int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := db.GetUserForUpdate(ctx, tx, userID); err != nil {
			return err
		}
		var err error
		if n, err = db.DeleteUserSessions(ctx, tx, userID); err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionSessionEndedAll, userSubject(userID), map[string]any{
			"sessions_ended": n, "reason": "ended by admin",
		}))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// Logout ends the session the request came with. A session that is already
// gone is not an error: the person is signed out either way.
func (s *Service) Logout(ctx context.Context, c Client, userID int64, sessionID []byte) error {
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		ok, err := db.DeleteUserSession(ctx, tx, userID, sessionID)
		if err != nil || !ok {
			return err
		}
		actor := Actor{UserID: userID, Client: c}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionLogout, userSubject(userID), map[string]any{
			"session": sessionLabel(sessionID),
		}))
		return err
	})
	if err != nil {
		return fmt.Errorf("auth: logout: %w", err)
	}
	return nil
}

// PasswordChange is a signed-in user's request to change their own password.
type PasswordChange struct {
	Current string
	New     string
	Confirm string
	// Session is the id of the session asking. It must still be live when
	// the change commits: a session ended meanwhile (by an admin, by
	// disabling) must not buy itself a fresh one.
	Session []byte
}

// ErrSessionEnded means the session behind a request ended before the
// request's change could commit.
var ErrSessionEnded = errors.New("auth: the session has ended")

// ChangeOwnPassword checks the current password, stores the new one, ends
// every session of the user (this one included) and starts a fresh session
// for this browser, all in one transaction. Wrong current passwords count
// against the sign-in throttle, so a borrowed session cannot be used to guess.
func (s *Service) ChangeOwnPassword(ctx context.Context, actor Actor, in PasswordChange) (IssuedSession, error) {
	u, err := db.GetUser(ctx, s.pool, actor.UserID)
	if err != nil {
		return IssuedSession{}, fmt.Errorf("auth: change password: %w", err)
	}
	errs := fault.Fields{}
	if in.Current == "" {
		errs.Set("current", "password.current.missing")
	}
	if msg := checkPasswordPolicy(in.New, u.Username); msg.Key != "" {
		errs["new"] = msg
	} else if in.New != in.Confirm {
		errs.Set("confirm", "password.confirm.differs")
	}
	if err := errs.OrNil(); err != nil {
		return IssuedSession{}, err
	}
	hash, err := HashPassword(in.New, s.cfg.Hash)
	if err != nil {
		return IssuedSession{}, err
	}
	var issued IssuedSession
	var refused fault.Fields
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The user's row lock orders this change after any reset or
		// disabling already under way, and the checks below see its result.
		if u, err = db.GetUserForUpdate(ctx, tx, u.ID); err != nil {
			return err
		}
		if _, _, err := db.GetActiveSession(ctx, tx, in.Session, s.cfg.IdleTimeout); err != nil {
			if errors.Is(err, db.ErrNotFound) {
				return ErrSessionEnded
			}
			return err
		}
		key := userThrottleKey(u.Username)
		n, err := db.CountLoginAttempt(ctx, tx, key, s.cfg.Throttle.Window)
		if err != nil {
			return err
		}
		if n > s.cfg.Throttle.PerUsername {
			refused = fault.Fields{"current": fault.M("password.current.throttled")}
			return nil // commit the count
		}
		ok, _, err := VerifyPassword(in.Current, u.PasswordHash, s.cfg.Hash)
		if err != nil {
			return err
		}
		if !ok {
			refused = fault.Fields{"current": fault.M("password.current.wrong")}
			_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserPasswordChangeFailed, userSubject(u.ID), nil))
			return err
		}
		if err := db.ClearLoginThrottle(ctx, tx, key); err != nil {
			return err
		}
		// The user chose this one: a must-change flag is cleared.
		if _, err := db.UpdateUserPassword(ctx, tx, u.ID, hash, false); err != nil {
			return err
		}
		n64, err := db.DeleteUserSessions(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if issued, err = s.startSession(ctx, tx, u.ID, actor.Client); err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionUserPasswordChanged, userSubject(u.ID), map[string]any{
			"sessions_ended": n64, "new_session": issued.Label(), "was_required": u.MustChangePassword,
		}))
		return err
	})
	if err != nil {
		return IssuedSession{}, fmt.Errorf("auth: change password: %w", err)
	}
	if refused != nil {
		return IssuedSession{}, refused
	}
	return issued, nil
}

// errNoSession is Store.Save refusing to invent a session: they begin only
// by signing in.
var errNoSession = errors.New("auth: no session to save values in; sessions start at sign-in")

// cleanText makes header text storable: Postgres text refuses invalid UTF-8
// and NUL, and a client may send either.
func cleanText(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}
