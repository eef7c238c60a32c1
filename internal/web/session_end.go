package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sessionEnd ends one session of a user.
func (s *Server) sessionEnd(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	if err := s.auth.EndSession(c.Request().Context(), s.actor(c), u.ID, c.FormValue("session")); err != nil {
		return err
	}
	if err := s.flash(c, "ok", "The session has ended."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID)+"/sessions")
}
