package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// render writes a templ component with the given status. Pages are never
// stored by browsers or proxies: after signing out, Back must not show them.
func render(c echo.Context, status int, comp templ.Component) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// page fills the layout's part of a view model: title, sandbox banner, the
// signed-in user, the CSRF token for forms and a pending flash message.
func (s *Server) page(c echo.Context, title string) templates.Page {
	p := templates.Page{Title: title, Sandbox: s.deps.Sandbox, CSRFToken: csrfToken(c), Path: "/"}
	if c.Request().Method == http.MethodGet {
		p.Path = c.Request().URL.RequestURI()
	}
	u, err := s.currentUser(c)
	if err != nil {
		// The page still renders (this may be the error page for that
		// very failure), as if nobody were signed in.
		logger(c).Warn("page: loading the session", "err", err)
		return p
	}
	p.User = pageUser(u)
	p.Flash = s.takeFlash(c)
	p.ApprovalsWaiting = s.approvalsWaiting(c, u)
	p.UnknownOrders = s.unknownOrders(c, u)
	return p
}
