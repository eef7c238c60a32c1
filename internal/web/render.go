package web

import (
	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// render writes a templ component with the given status.
func render(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// page fills the layout's part of a view model.
func (s *Server) page(c echo.Context, title string) templates.Page {
	return templates.Page{Title: title, Sandbox: s.deps.Sandbox}
}
