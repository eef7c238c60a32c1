package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/accounts"
	"dealdesk/web/templates"
)

// accountNew shows the form that adds an account; stored keys are ticked,
// the usual case.
func (s *Server) accountNew(c echo.Context) error {
	return render(c, http.StatusOK, templates.AccountNew(templates.AccountNewView{
		Page: s.page(c, tr(c, "title.add_account")), KeySources: keySourceOptions(string(accounts.KeysStored)),
	}))
}
