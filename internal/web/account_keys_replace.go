package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// accountKeysReplace stores new keys for an account. Mistakes come back
// next to their fields (422) with the SecretId kept and the secrets not;
// refusals (the sandbox account) come back on the page with 409.
func (s *Server) accountKeysReplace(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	keys := formKeys(r)
	fe := r.errs
	if r.ok() {
		_, err = s.accounts.ReplaceKeys(c.Request().Context(), s.actor(c), a.ID, keys)
		fe = fieldTexts(c, err)
	}
	msg, refused := movedOn(c, err)
	switch {
	case fe != nil:
		v := s.accountEditView(c, a)
		v.SecretID, v.Errors, v.Retype = keys.SecretID, fe, true
		return render(c, http.StatusUnprocessableEntity, templates.AccountEdit(v))
	case refused:
		v := s.accountEditView(c, a)
		v.Error = msg
		return render(c, http.StatusConflict, templates.AccountEdit(v))
	case err != nil:
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.account_keys_replaced", "name", a.Name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, accountPath(a.ID))
}
