package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"dealdesk/web/static"
)

const (
	csrfCookie  = "dealdesk_csrf"
	csrfField   = "_csrf"
	ctxCSRF     = "csrf"
	csrfRefusal = "error.csrf"
)

// crossOrigin is net/http's cross-origin protection: it refuses a
// state-changing request whose Sec-Fetch-Site or Origin says another site
// sent it.
var crossOrigin = http.NewCrossOriginProtection()

// crossOriginCheck runs crossOrigin, then removes Sec-Fetch-Site: echo's
// CSRF middleware skips the token whenever that header says "same-origin",
// and we want the token checked on every POST as a second, independent
// defence (older browsers send neither header).
func (s *Server) crossOriginCheck(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if apiBearer(c.Request()) {
			return next(c)
		}
		if err := crossOrigin.Check(c.Request()); err != nil {
			return &SafeError{Status: http.StatusForbidden, Safe: csrfRefusal, Err: err}
		}
		c.Request().Header.Del(echo.HeaderSecFetchSite)
		return next(c)
	}
}

// csrf checks the token of every POST: a double-submit token in an HttpOnly
// cookie, matched against the _csrf field that templates.CSRFField puts in
// every form. The cookie is Secure when the request is.
func (s *Server) csrf() echo.MiddlewareFunc {
	base := middleware.CSRFConfig{
		Skipper:        skipCSRF,
		TokenLookup:    "form:" + csrfField,
		ContextKey:     ctxCSRF,
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieMaxAge:   int(s.auth.Config().MaxAge.Seconds()),
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(err error, c echo.Context) error {
			return &SafeError{Status: http.StatusForbidden, Safe: csrfRefusal, Err: err}
		},
	}
	plain := middleware.CSRFWithConfig(base)
	base.CookieSecure = true
	secure := middleware.CSRFWithConfig(base)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		plainNext, secureNext := plain(next), secure(next)
		return func(c echo.Context) error {
			if s.secureRequest(c.Request()) {
				return secureNext(c)
			}
			return plainNext(c)
		}
	}
}

// skipCSRF leaves out what never has a form: static files and health checks
// (so they set no cookie and stay cacheable).
func skipCSRF(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, static.Prefix) || p == "/healthz" || p == "/readyz" || apiBearer(c.Request())
}

// apiPrefix is where Deps.API is mounted.
const apiPrefix = "/api/v1"

// apiBearer reports a request to the JSON API that carries a bearer token:
// the only requests the cross-origin and CSRF checks skip. A browser never
// adds an Authorization header on its own, so another site cannot forge
// one; and the API accepts nothing else (no cookie authenticates there), so
// a request under /api/v1 without a token is checked like any other and
// then refused by the API.
func apiBearer(r *http.Request) bool {
	if r.URL.Path != apiPrefix && !strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
		return false
	}
	scheme, tok, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(tok) != ""
}

// csrfToken is the token for this request's forms.
func csrfToken(c echo.Context) string {
	t, _ := c.Get(ctxCSRF).(string)
	return t
}

// rotateCSRF drops the CSRF cookie so the next page issues a new token: a
// token planted before signing in or out is worthless after it.
func (s *Server) rotateCSRF(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: csrfCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(c.Request()),
	})
}
