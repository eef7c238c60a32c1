package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
)

// requireRole guards a route with the role the route table declares. A route
// without a role, or with a name that is no role, is a programming error and
// stops the server from starting.
func (s *Server) requireRole(role Role) echo.MiddlewareFunc {
	switch role {
	case "":
		panic("web: a route declares no role; every route in routes() needs one")
	case RolePublic:
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	case RoleSignedIn:
		return s.requireUser(func(auth.User) bool { return true })
	}
	var allowed []auth.Role
	for name := range strings.SplitSeq(string(role), "|") {
		r := auth.Role(name)
		if !r.Valid() {
			panic("web: route declares unknown role " + string(role))
		}
		allowed = append(allowed, r)
	}
	return s.requireUser(func(u auth.User) bool { return u.HasAny(allowed...) })
}

// requireUser sends anonymous visitors to the sign-in page and refuses
// signed-in users that allow rejects with a plain 403 page.
func (s *Server) requireUser(allow func(auth.User) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, err := s.currentUser(c)
			if err != nil {
				return err
			}
			if u == nil {
				return c.Redirect(http.StatusSeeOther, loginURL(c.Request()))
			}
			if u.MustChangePassword && !passwordChangeAllowed[c.Path()] {
				// A generated password was seen by whoever created it: until
				// the user chooses their own, nothing else opens (and a POST
				// elsewhere changes nothing).
				return c.Redirect(http.StatusSeeOther, passwordPath)
			}
			if !allow(*u) {
				return &SafeError{Status: http.StatusForbidden, Safe: "error.your_account_does_not_have"}
			}
			return next(c)
		}
	}
}

// passwordPath is where a user changes their own password.
const passwordPath = "/account/password"

// passwordChangeAllowed are the routes a user who must change their password
// may use before they do: the change itself and signing out.
var passwordChangeAllowed = map[string]bool{passwordPath: true, "/logout": true}

// loginURL is the sign-in page, coming back to this page afterwards when it
// was a page one can come back to (a GET).
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet {
		return "/login"
	}
	next := safeNext(r.URL.RequestURI())
	if next == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}

// safeNext returns next when it is a path on this console, else "/". Only a
// single leading slash followed by a non-slash will do: "//evil.example" and
// "/\evil.example" are other hosts to a browser.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2000 {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	if strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/login" || u.Path == "/logout" {
		return "/"
	}
	return next
}
