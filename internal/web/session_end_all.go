package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
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
	if err := s.flash(c, "ok", fmt.Sprintf("Ended %d session(s) of %s.", n, u.Username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID)+"/sessions")
}
