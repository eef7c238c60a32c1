package web

import (
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// Keys of what this file caches on the echo context.
const (
	ctxSession = "session"
	ctxUser    = "user"
)

// session returns the request's session: a signed-in one, or a new, empty
// one for an anonymous visitor. It is loaded once per request.
func (s *Server) session(c echo.Context) (*sessions.Session, error) {
	if sess, ok := c.Get(ctxSession).(*sessions.Session); ok {
		return sess, nil
	}
	sess, err := s.sessions.Get(c.Request(), auth.SessionCookie)
	if err != nil {
		return nil, err
	}
	s.setSession(c, sess)
	return sess, nil
}

// setSession makes sess the request's session (after signing in).
func (s *Server) setSession(c echo.Context, sess *sessions.Session) {
	c.Set(ctxSession, sess)
	if u, ok := auth.SessionUser(sess); ok {
		c.Set(ctxUser, &u)
	} else {
		c.Set(ctxUser, (*auth.User)(nil))
	}
}

// currentUser returns the signed-in user, or nil for an anonymous visitor.
// Handlers behind a role check can rely on it being non-nil.
func (s *Server) currentUser(c echo.Context) (*auth.User, error) {
	if u, ok := c.Get(ctxUser).(*auth.User); ok {
		return u, nil
	}
	if _, err := s.session(c); err != nil {
		return nil, err
	}
	u, _ := c.Get(ctxUser).(*auth.User)
	return u, nil
}

// user is currentUser for handlers behind a role check, where a user is
// certain; it panics otherwise, which recoverPanics turns into a 500.
func (s *Server) user(c echo.Context) auth.User {
	u, err := s.currentUser(c)
	if err != nil || u == nil {
		panic("web: handler needs a signed-in user; its route must not be public")
	}
	return *u
}

// client is where the request came from, for sessions and the audit log.
func (s *Server) client(c echo.Context) auth.Client {
	return auth.Client{
		RemoteAddr: c.RealIP(),
		UserAgent:  c.Request().UserAgent(),
		RequestID:  requestID(c),
	}
}

// actor is the signed-in user as the author of a change.
func (s *Server) actor(c echo.Context) auth.Actor {
	return auth.Actor{UserID: s.user(c).ID, Client: s.client(c)}
}

// flash leaves a message for the next page the user sees. It is stored in
// the session's row, so it must never hold a secret.
func (s *Server) flash(c echo.Context, kind, msg string) error {
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	sess.AddFlash(kind + "|" + msg)
	return sess.Save(c.Request(), c.Response())
}

// takeFlash returns and removes the pending message, if any. Nothing is
// written when there is none, so ordinary pages cost no write.
func (s *Server) takeFlash(c echo.Context) *templates.Flash {
	sess, err := s.session(c)
	if err != nil || sess.IsNew {
		return nil
	}
	flashes := sess.Flashes()
	if len(flashes) == 0 {
		return nil
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		logger(c).Warn("clearing flash message", "err", err)
	}
	raw, _ := flashes[len(flashes)-1].(string)
	kind, msg, ok := strings.Cut(raw, "|")
	if !ok {
		return nil
	}
	return &templates.Flash{Kind: kind, Message: msg}
}

// pageUser is the layout's view of the signed-in user.
func pageUser(u *auth.User) *templates.CurrentUser {
	if u == nil {
		return nil
	}
	roles := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = string(r)
	}
	return &templates.CurrentUser{Username: u.Username, DisplayName: u.DisplayName, Roles: roles}
}
