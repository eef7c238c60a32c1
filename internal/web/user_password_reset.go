package web

import (
	"github.com/labstack/echo/v4"
)

// userPasswordReset gives a user a generated password, ends their sessions
// and shows the password once.
func (s *Server) userPasswordReset(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	password, err := s.users.ResetPassword(c.Request().Context(), s.actor(c), u.ID)
	if err != nil {
		return err
	}
	return s.oneTimePassword(c, u, password, false)
}
