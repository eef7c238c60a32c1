package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// accountEdit shows one account with its actions.
func (s *Server) accountEdit(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.AccountEdit(s.accountEditView(c, a)))
}
