package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// ThrottleConfig limits sign-in attempts in a fixed window. The counters live
// in Postgres, so every replica sees the same ones.
type ThrottleConfig struct {
	Window time.Duration
	// PerUsername bounds password checks against one username (existing or
	// not) per window, whatever address they come from: it stops guessing
	// one person's password from many machines.
	PerUsername int32
	// PerAddress bounds attempts from one client address (an IPv6 /64) per
	// window: it stops one machine trying many usernames. It is higher than
	// PerUsername because an office may sign in through one address.
	PerAddress int32
}

// DefaultThrottle allows 5 attempts per username and 50 per address every 15
// minutes.
var DefaultThrottle = ThrottleConfig{Window: 15 * time.Minute, PerUsername: 5, PerAddress: 50}

func (t ThrottleConfig) withDefaults() ThrottleConfig {
	if t.Window <= 0 {
		t.Window = DefaultThrottle.Window
	}
	if t.PerUsername <= 0 {
		t.PerUsername = DefaultThrottle.PerUsername
	}
	if t.PerAddress <= 0 {
		t.PerAddress = DefaultThrottle.PerAddress
	}
	return t
}

// LoginInput is one sign-in attempt.
type LoginInput struct {
	Username string
	Password string
	Client   Client
	// PreviousSession is the id of the session the browser already had, if
	// any: it is deleted, so signing in always yields a new session id.
	PreviousSession []byte
}

// Login checks a username and password and starts a session. Every failure
// is ErrLoginFailed, whatever the reason, and costs the same work: an unknown
// username is checked against a dummy hash. The attempt counters, the session
// and the audit event commit in one transaction.
func (s *Service) Login(ctx context.Context, in LoginInput) (User, IssuedSession, error) {
	username := strings.TrimSpace(in.Username)
	userKey := userThrottleKey(username)
	addrKey := addrThrottleKey(in.Client.RemoteAddr)
	anonymous := Actor{Client: in.Client}

	var (
		user   db.User
		issued IssuedSession
		ok     bool
	)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := db.DeleteStaleLoginThrottle(ctx, tx, s.cfg.Throttle.Window); err != nil {
			return err
		}
		// Count first, check the password second: the count's row lock
		// makes concurrent attempts on the same key take turns, so a burst
		// cannot squeeze extra guesses past the limit.
		nUser, err := db.CountLoginAttempt(ctx, tx, userKey, s.cfg.Throttle.Window)
		if err != nil {
			return err
		}
		nAddr, err := db.CountLoginAttempt(ctx, tx, addrKey, s.cfg.Throttle.Window)
		if err != nil {
			return err
		}
		if nUser > s.cfg.Throttle.PerUsername || nAddr > s.cfg.Throttle.PerAddress {
			// Only the attempt that crosses a limit is recorded: every
			// refused attempt after it would let anyone fill the
			// append-only log.
			if nUser == s.cfg.Throttle.PerUsername+1 || nAddr == s.cfg.Throttle.PerAddress+1 {
				_, err := db.AppendAudit(ctx, tx, loginAuditEvent(anonymous, db.ActionLoginThrottled, user, map[string]any{
					"username_limit_reached": nUser > s.cfg.Throttle.PerUsername,
					"address_limit_reached":  nAddr > s.cfg.Throttle.PerAddress,
				}))
				return err
			}
			return nil
		}

		user, err = db.GetUserByUsername(ctx, tx, username)
		found := err == nil
		if err != nil && !isNotFound(err) {
			return err
		}
		hash := s.dummyHash
		if found {
			hash = user.PasswordHash
		}
		match, rehash, err := VerifyPassword(in.Password, hash, s.cfg.Hash)
		if err != nil {
			return err
		}
		if !found || !match || user.Disabled {
			reason := "wrong password"
			switch {
			case !found:
				reason = "unknown username"
				user = db.User{}
			case match && user.Disabled:
				reason = "account disabled"
			}
			_, err := db.AppendAudit(ctx, tx, loginAuditEvent(anonymous, db.ActionLoginFailed, user, map[string]any{"reason": reason}))
			return err
		}

		ok = true
		if err := db.ClearLoginThrottle(ctx, tx, userKey); err != nil {
			return err
		}
		if err := db.ForgiveLoginAttempt(ctx, tx, addrKey); err != nil {
			return err
		}
		if rehash {
			if newHash, err := HashPassword(in.Password, s.cfg.Hash); err == nil {
				if err := db.RehashUserPassword(ctx, tx, user.ID, user.PasswordHash, newHash); err != nil {
					return err
				}
			}
		}
		if len(in.PreviousSession) > 0 {
			if _, err := db.DeleteSession(ctx, tx, in.PreviousSession); err != nil {
				return err
			}
		}
		if _, err := db.DeleteExpiredSessions(ctx, tx, user.ID, s.cfg.IdleTimeout); err != nil {
			return err
		}
		if issued, err = s.startSession(ctx, tx, user.ID, in.Client); err != nil {
			return err
		}
		actor := Actor{UserID: user.ID, Client: in.Client}
		_, err = db.AppendAudit(ctx, tx, actor.event(db.ActionLogin, userSubject(user.ID), map[string]any{"session": issued.Label()}))
		return err
	})
	if err != nil {
		return User{}, IssuedSession{}, fmt.Errorf("auth: login: %w", err)
	}
	if !ok {
		return User{}, IssuedSession{}, ErrLoginFailed
	}
	return userFrom(user), issued, nil
}

// loginAuditEvent records a refused sign-in. The username typed is recorded
// only as the user it names: a string that matches nobody is often a
// password typed into the wrong field, and the log is kept forever.
func loginAuditEvent(a Actor, action string, u db.User, details map[string]any) db.AuditEvent {
	subject := "login"
	if u.ID != 0 {
		subject = userSubject(u.ID)
	}
	ev := a.event(action, subject, details)
	ev.Actor = "anonymous"
	return ev
}

// userThrottleKey names a username's counter. Unknown usernames get one too,
// so the throttle cannot tell who exists.
func userThrottleKey(username string) string {
	return "user:" + cleanText(strings.ToLower(strings.TrimSpace(username)), 100)
}

// addrThrottleKey names a client address's counter. IPv6 clients usually
// own a whole /64, so that is what is counted.
func addrThrottleKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return "addr:" + cleanText(remote, 100)
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return "addr:" + p.String()
	}
	return "addr:" + a.String()
}

func isNotFound(err error) bool { return errors.Is(err, db.ErrNotFound) }
