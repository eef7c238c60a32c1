package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
)

// sessionEndAll ends every session of a user.
func (s *Server) sessionEndAll(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	n, err := s.auth.EndAllSessions(c.Request().Context(), s.actor(c), u.ID)
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", i18n.From(c.Request().Context()).N("flash_words.sessions_ended", int(n), "name", u.Username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID)+"/sessions")
}
