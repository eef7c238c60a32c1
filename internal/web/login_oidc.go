package web

import (
	"crypto/sha256"
	"errors"
	"net/http"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/oidc"
)

// The pending single sign-on rides in a cookie between the redirect to the
// provider and its answer: sealed (authenticated and encrypted) with keys
// derived from the session key, so every replica opens it and nobody can
// forge or read the state, nonce and PKCE verifier in it. It is scoped to
// the callback's path, lives ten minutes and is used once.
const (
	oidcCookie = "dealdesk_oidc"
	oidcMaxAge = 600
)

// oidcRefusal is what a person is told when a sign-in cannot complete;
// the reason goes to the log.
const oidcRefusal = "error.oidc_incomplete"

func (s *Server) oidcSealer() *securecookie.SecureCookie {
	key := s.auth.Config().SessionKey
	hashKey := sha256.Sum256(append([]byte("dealdesk oidc hash\x00"), key...))
	blockKey := sha256.Sum256(append([]byte("dealdesk oidc block\x00"), key...))
	sc := securecookie.New(hashKey[:], blockKey[:])
	sc.MaxAge(oidcMaxAge)
	sc.SetSerializer(securecookie.JSONEncoder{})
	return sc
}

func (s *Server) oidcCookie(c echo.Context, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: oidcCookie, Value: value, Path: "/login/oidc", MaxAge: maxAge, HttpOnly: true,
		// Lax: the provider's answer is a top-level GET from its site.
		SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(c.Request()),
	}
}

// loginOIDCStart sends the browser to the identity provider.
func (s *Server) loginOIDCStart(c echo.Context) error {
	if s.deps.OIDC == nil {
		return echo.ErrNotFound
	}
	authURL, pending := s.deps.OIDC.Begin(safeNext(c.QueryParam("next")))
	sealed, err := s.oidcSealer().Encode(oidcCookie, pending)
	if err != nil {
		return err
	}
	c.SetCookie(s.oidcCookie(c, sealed, oidcMaxAge))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, authURL)
}

// loginOIDCCallback completes a sign-in: the provider's answer must carry
// the state this browser's cookie holds, its ID token the nonce, and the
// code is redeemed with the PKCE verifier. Then the person is signed in
// with a Postgres session, as with a password.
func (s *Server) loginOIDCCallback(c echo.Context) error {
	if s.deps.OIDC == nil {
		return echo.ErrNotFound
	}
	refused := func(err error) error {
		return &SafeError{Status: http.StatusBadRequest, Safe: oidcRefusal, Err: err}
	}
	var pending oidc.Pending
	ck, err := c.Cookie(oidcCookie)
	if err != nil {
		return refused(errors.New("web: oidc callback without its cookie"))
	}
	// Used once, whatever happens next.
	c.SetCookie(s.oidcCookie(c, "", -1))
	if err := s.oidcSealer().Decode(oidcCookie, ck.Value, &pending); err != nil {
		return refused(err)
	}
	q := c.QueryParams()
	if e := q.Get("error"); e != "" {
		return refused(errors.New("web: the identity provider answered " + clip(e, 100)))
	}
	ctx := c.Request().Context()
	id, err := s.deps.OIDC.Finish(ctx, pending, q.Get("state"), q.Get("code"))
	if err != nil {
		return refused(err)
	}
	username := auth.UsernameFrom(id.Username)
	roles, rerr := auth.RolesFromStrings(id.Roles)
	if username == "" || rerr != nil {
		return refused(errors.New("web: the identity provider gave no usable username or roles"))
	}
	var previous []byte
	if sess, err := s.session(c); err == nil {
		if info, ok := auth.SessionInfo(sess); ok {
			previous = info.ID
		}
	}
	user, issued, err := s.auth.LoginExternal(ctx, auth.ExternalLogin{
		Issuer: id.Issuer, Subject: id.Subject, Username: username, DisplayName: id.DisplayName, Email: id.Email,
		Roles: roles, Client: s.client(c), PreviousSession: previous,
	})
	if errors.Is(err, auth.ErrExternalRefused) {
		return &SafeError{Status: http.StatusForbidden, Safe: auth.ExternalRefusedMessage, Err: err}
	}
	if err != nil {
		return err
	}
	newSess, err := s.sessions.Issue(c.Response(), c.Request(), issued, user)
	if err != nil {
		return err
	}
	s.setSession(c, newSess)
	s.rotateCSRF(c)
	return c.Redirect(http.StatusSeeOther, safeNext(pending.Next))
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
