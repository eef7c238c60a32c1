package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/accounts"
	"dealdesk/web/templates"
)

// accountRenewalLeadDays sets how many days before expiry the account's
// renewals are drafted. A value that is not a whole number from 1 to 365
// comes back next to its field (422) with nothing changed.
func (s *Server) accountRenewalLeadDays(c echo.Context) error {
	a, err := s.pathAccount(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	rangeMsg := msg(c, accounts.RenewalLeadDaysRange())
	days, raw := r.number("renewal_lead_days", accounts.MinRenewalLeadDays, accounts.MaxRenewalLeadDays, rangeMsg)
	fe := r.errs
	if r.ok() {
		_, err = s.accounts.SetRenewalLeadDays(c.Request().Context(), s.actor(c), a.ID, days)
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		v := s.accountEditView(c, a)
		v.LeadDays, v.LeadDaysError = raw, fe["renewal_lead_days"]
		return render(c, http.StatusUnprocessableEntity, templates.AccountEdit(v))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.account_renewal_lead_days", "name", a.Name, "days", strconv.Itoa(days))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, accountPath(a.ID))
}
