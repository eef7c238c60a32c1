package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/accounts"
	"dealdesk/web/templates"
)

// accountCreate adds an account. After a mistake the form comes back with
// what was typed, except the SecretKey and token: a secret is never sent
// back to a browser.
func (s *Server) accountCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	in := accounts.NewAccount{
		Name:      r.text("name", line(accounts.MaxNameLen)),
		KeySource: accounts.KeySource(r.text("key_source", line(maxShortText))),
		Keys:      formKeys(r),
	}
	var a accounts.Account
	fe := r.errs
	if r.ok() {
		a, err = s.accounts.Create(c.Request().Context(), s.actor(c), in)
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		return render(c, http.StatusUnprocessableEntity, templates.AccountNew(templates.AccountNewView{
			Page: s.page(c, tr(c, "title.add_account")), Name: in.Name, KeySources: keySourceOptions(string(in.KeySource)),
			SecretID: in.Keys.SecretID, Errors: fe, Retype: true,
		}))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.account_added", "name", a.Name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, accountPath(a.ID))
}
