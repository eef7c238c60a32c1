package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// profileZones are the time zones the profile offers: where Dealdesk's
// buyers and approvers work. Any IANA name is accepted by the service; the
// list keeps the select short.
var profileZones = []string{
	"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
	"Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Moscow",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
	"Australia/Sydney", "Pacific/Auckland", "UTC",
}

func (s *Server) profileView(c echo.Context, lang, zone string, errs map[string]string) templates.ProfileView {
	zones := profileZones
	if zone != "" && !slices.Contains(zones, zone) {
		zones = append([]string{zone}, zones...)
	}
	return templates.ProfileView{
		Page: s.page(c, tr(c, "title.profile")), Errors: errs, Language: lang, TimeZone: zone,
		DefaultZone: s.deps.DefaultZone.String(), Zones: zones,
	}
}

// profileEdit shows the person's language and time zone.
func (s *Server) profileEdit(c echo.Context) error {
	u := s.user(c)
	return render(c, http.StatusOK, templates.Profile(s.profileView(c, u.Language, u.TimeZone, nil)))
}

// profileUpdate stores the person's language and time zone; the next page
// is in them.
func (s *Server) profileUpdate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	lang := r.choice("language", tr(c, "profile.language_unknown"), append([]string{""}, auth.Languages...)...)
	zone := r.text("time_zone", line(64))
	fe := r.errs
	if r.ok() {
		_, err = s.auth.SetPreferences(c.Request().Context(), s.actor(c), auth.Preferences{Language: lang, TimeZone: zone})
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		return render(c, http.StatusUnprocessableEntity, templates.Profile(s.profileView(c, lang, zone, fe)))
	}
	if err != nil {
		return err
	}
	// The session's user is read with the session at every request, so
	// the next page is already in the new language and zone.
	if err := s.flash(c, "ok", tr(c, "flash.profile_saved")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/profile")
}

// languageSwitch is the navigation's switch: a signed-in person's choice is
// stored on their profile (with its audit event), a visitor's in a cookie.
// It returns to the page it was pressed on.
func (s *Server) languageSwitch(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	lang := r.choice("language", tr(c, "profile.language_unknown"), auth.Languages...)
	next := safeNext(r.text("next", line(2000)))
	if !r.ok() || lang == "" {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "profile.language_unknown"}
	}
	u, err := s.currentUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		s.setLangCookie(c, lang)
		return c.Redirect(http.StatusSeeOther, next)
	}
	if _, err := s.auth.SetPreferences(c.Request().Context(), s.actor(c), auth.Preferences{Language: lang, TimeZone: u.TimeZone}); err != nil {
		return err
	}
	s.setLangCookie(c, lang)
	return c.Redirect(http.StatusSeeOther, next)
}
