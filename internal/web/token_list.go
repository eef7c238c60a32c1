package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// tokenList shows the signed-in person's API tokens and the form to make one.
func (s *Server) tokenList(c echo.Context) error {
	v, err := s.tokensView(c, false)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Tokens(v))
}

// serviceTokenList shows every service token and the form to make one.
func (s *Server) serviceTokenList(c echo.Context) error {
	v, err := s.tokensView(c, true)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Tokens(v))
}
