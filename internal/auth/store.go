package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"dealdesk/internal/db"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "dealdesk_session"

// Store is a gorilla/sessions store on Postgres. The cookie holds only a
// random 32-byte token, signed with the session key so forged cookies are
// refused before any query; the sessions table holds the token's sha256.
//
// Sessions begin only at sign-in (Service.Login, then Issue): an anonymous
// visitor never gets a row, so nobody can fill the table by asking for pages.
type Store struct {
	svc    *Service
	codec  *securecookie.SecureCookie
	secure func(*http.Request) bool
}

var _ sessions.Store = (*Store)(nil)

// Keys of the values Store.New puts in a loaded session. Their types are
// unexported and not strings, so Save never writes them to the database.
type (
	userValueKey    struct{}
	sessionValueKey struct{}
)

func newStore(s *Service) *Store {
	codec := securecookie.New(s.cfg.SessionKey, nil).
		MaxAge(int(s.cfg.MaxAge.Seconds())).
		SetSerializer(securecookie.NopEncoder{})
	return &Store{svc: s, codec: codec, secure: func(r *http.Request) bool { return r.TLS != nil }}
}

// Store returns the session store. secure decides, per request, whether the
// cookie gets the Secure attribute (TLS, or a trusted proxy that says so);
// nil means "when the request came over TLS".
func (s *Service) Store(secure func(*http.Request) bool) *Store {
	st := *s.store
	if secure != nil {
		st.secure = secure
	}
	return &st
}

// Get returns the request's session, loading it once per request.
func (st *Store) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New loads the session the request's cookie names. Without a cookie, with a
// forged or expired one, or for a disabled user, it returns a new, empty
// session (IsNew) and no error. With a live session, SessionUser and
// SessionInfo read the user and session from it.
func (st *Store) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(st, name)
	sess.IsNew = true
	sess.Options = st.options(r, 0)
	cookie, err := r.Cookie(name)
	if err != nil {
		return sess, nil //nolint:nilerr // no cookie: a new, anonymous session is the answer, not an error
	}
	var token []byte
	if err := st.codec.Decode(name, cookie.Value, &token); err != nil || len(token) != tokenLen {
		return sess, nil //nolint:nilerr // a forged or stale cookie signs nobody in: a new, anonymous session
	}
	ctx := r.Context()
	row, user, err := db.LoadActiveSession(ctx, st.svc.pool, hashToken(token), st.svc.cfg.IdleTimeout)
	if errors.Is(err, db.ErrNotFound) {
		return sess, nil
	}
	if err != nil {
		return sess, fmt.Errorf("auth: load session: %w", err)
	}
	sess.ID = hex.EncodeToString(row.ID)
	sess.IsNew = false
	for k, v := range row.Data {
		sess.Values[k] = v
	}
	sess.Values[userValueKey{}] = userFrom(user)
	sess.Values[sessionValueKey{}] = sessionFrom(row)
	return sess, nil
}

// Save writes the session's values (string keys only) to its row. With
// Options.MaxAge < 0 it deletes the row and the cookie instead. A session
// that never began (IsNew) cannot hold values: Save refuses rather than
// silently losing them.
func (st *Store) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if id, err := hex.DecodeString(sess.ID); err == nil && len(id) == sha256.Size {
			if _, err := db.DeleteSession(ctx, st.svc.pool, id); err != nil {
				return fmt.Errorf("auth: delete session: %w", err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", st.options(r, -1)))
		return nil
	}
	if sess.ID == "" {
		if len(stringValues(sess)) == 0 {
			return nil
		}
		return errNoSession
	}
	id, err := hex.DecodeString(sess.ID)
	if err != nil {
		return fmt.Errorf("auth: save session: malformed id")
	}
	err = db.UpdateSessionData(ctx, st.svc.pool, id, stringValues(sess))
	if errors.Is(err, db.ErrNotFound) {
		// Ended meanwhile (signed out in another tab, ended by an admin):
		// there is nowhere to keep the values, and nothing to protect.
		return nil
	}
	if err != nil {
		return fmt.Errorf("auth: save session: %w", err)
	}
	return nil
}

// Issue writes the cookie of a session that Login or ChangeOwnPassword just
// created and returns it as a loaded session, for flash messages in the same
// request. The cookie lives until the session's absolute expiry.
func (st *Store) Issue(w http.ResponseWriter, r *http.Request, is IssuedSession, u User) (*sessions.Session, error) {
	value, err := st.codec.Encode(SessionCookie, is.token)
	if err != nil {
		return nil, fmt.Errorf("auth: encode session cookie: %w", err)
	}
	maxAge := max(int(time.Until(is.ExpiresAt).Seconds()), 1)
	http.SetCookie(w, sessions.NewCookie(SessionCookie, value, st.options(r, maxAge)))
	sess := sessions.NewSession(st, SessionCookie)
	sess.ID = hex.EncodeToString(is.ID)
	sess.Options = st.options(r, maxAge)
	sess.Values[userValueKey{}] = u
	sess.Values[sessionValueKey{}] = is.Session
	return sess, nil
}

// options are the cookie's attributes: HttpOnly so scripts cannot read it,
// SameSite=Lax so other sites' forms do not carry it, Secure under TLS.
func (st *Store) options(r *http.Request, maxAge int) *sessions.Options {
	return &sessions.Options{
		Path: "/", MaxAge: maxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: st.secure(r),
	}
}

// SessionUser returns the signed-in user of a session loaded by the store.
func SessionUser(sess *sessions.Session) (User, bool) {
	if sess == nil {
		return User{}, false
	}
	u, ok := sess.Values[userValueKey{}].(User)
	return u, ok
}

// SessionInfo returns the stored session behind a loaded session.
func SessionInfo(sess *sessions.Session) (Session, bool) {
	if sess == nil {
		return Session{}, false
	}
	s, ok := sess.Values[sessionValueKey{}].(Session)
	return s, ok
}

func stringValues(sess *sessions.Session) map[string]any {
	out := map[string]any{}
	for k, v := range sess.Values {
		if ks, ok := k.(string); ok {
			out[ks] = v
		}
	}
	return out
}
