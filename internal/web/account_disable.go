package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// accountDisable disables an account: nothing is sent with its keys until
// it is enabled again.
func (s *Server) accountDisable(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	if _, err := s.accounts.SetDisabled(c.Request().Context(), s.actor(c), a.ID, true); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.account_disabled", "name", a.Name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, accountPath(a.ID))
}
