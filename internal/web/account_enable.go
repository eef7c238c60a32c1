package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// accountEnable enables a disabled account.
func (s *Server) accountEnable(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	if _, err := s.accounts.SetDisabled(c.Request().Context(), s.actor(c), a.ID, false); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.account_enabled", "name", a.Name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, accountPath(a.ID))
}
