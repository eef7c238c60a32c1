package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// notificationPrefs shows the person's own choice of which events reach
// them by e-mail.
func (s *Server) notificationPrefs(c echo.Context) error {
	v, err := s.notificationPrefsView(c, nil, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.NotificationPrefs(v))
}

// notificationPrefsSave stores the person's choices (audited by the
// service) and shows them again.
func (s *Server) notificationPrefsSave(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	chosen := map[orders.NoticeEvent]string{}
	for _, ev := range notify.PersonalEvents {
		name := "pref_" + string(ev)
		if ch := r.choice(name, msg(c, fault.M("notify.channel.unknown")), notify.ChannelEmail, notify.ChannelNone); ch != "" {
			chosen[ev] = ch
		}
	}
	if !r.ok() {
		v, err := s.notificationPrefsView(c, chosen, r.errs)
		if err != nil {
			return err
		}
		return render(c, http.StatusUnprocessableEntity, templates.NotificationPrefs(v))
	}
	if err := s.deps.Notify.SavePreferences(c.Request().Context(), s.ordersActor(c), chosen); err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("notify.preferences.saved"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/notifications")
}

// notificationPrefsView is the page's view: the stored choices, or typed
// ones shown again with their errors.
func (s *Server) notificationPrefsView(c echo.Context, typed map[orders.NoticeEvent]string, errs map[string]string) (templates.NotificationPrefsView, error) {
	u, err := s.currentUser(c)
	if err != nil {
		return templates.NotificationPrefsView{}, err
	}
	prefs, err := s.deps.Notify.Preferences(c.Request().Context(), u.ID)
	if err != nil {
		return templates.NotificationPrefsView{}, err
	}
	v := templates.NotificationPrefsView{Page: s.page(c, "Notifications"), Address: u.Email, MailOn: s.deps.MailOn, Errors: errs}
	for _, p := range prefs {
		ch := p.Channel
		if t, ok := typed[p.Event]; ok {
			ch = t
		}
		v.Rows = append(v.Rows, templates.NotificationPrefRow{Event: string(p.Event), Label: i18n.From(c.Request().Context()).Keyed(p.Label.Key, p.Label.Args), Email: ch == notify.ChannelEmail})
	}
	return v, nil
}
