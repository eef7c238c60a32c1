package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// userEnable lets a disabled user sign in again.
func (s *Server) userEnable(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	if _, err := s.users.SetDisabled(c.Request().Context(), s.actor(c), u.ID, false); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.user_enabled", "name", u.Username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID))
}
