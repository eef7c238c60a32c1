package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// accountList lists every Tencent Cloud account.
func (s *Server) accountList(c echo.Context) error {
	list, err := s.accounts.List(c.Request().Context())
	if err != nil {
		return err
	}
	v := templates.AccountListView{Page: s.page(c, tr(c, "title.tencent_cloud_accounts"))}
	for _, a := range list {
		v.Accounts = append(v.Accounts, s.accountRow(a))
	}
	return render(c, http.StatusOK, templates.AccountList(v))
}
