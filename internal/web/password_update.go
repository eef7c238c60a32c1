package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// passwordUpdate changes the signed-in user's password. Every other session
// of the user ends; this browser gets a fresh session.
func (s *Server) passwordUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	info, _ := auth.SessionInfo(sess)
	r, err := readForm(c)
	if err != nil {
		return err
	}
	pw := lines(auth.MaxPasswordLen)
	in := auth.PasswordChange{
		Current: r.text("current", pw), New: r.text("new", pw), Confirm: r.text("confirm", pw), Session: info.ID,
	}
	var issued auth.IssuedSession
	fe := r.errs
	if r.ok() {
		issued, err = s.auth.ChangeOwnPassword(ctx, s.actor(c), in)
		if errors.Is(err, auth.ErrSessionEnded) {
			return c.Redirect(http.StatusSeeOther, "/login")
		}
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		return render(c, http.StatusUnprocessableEntity, templates.Password(templates.PasswordView{
			Page: s.page(c, tr(c, "title.change_password")), Errors: fe, MinLength: auth.MinPasswordLen, MustChange: s.user(c).MustChangePassword,
		}))
	}
	if err != nil {
		return err
	}
	newSess, err := s.sessions.Issue(c.Response(), c.Request(), issued, s.user(c))
	if err != nil {
		return err
	}
	s.setSession(c, newSess)
	if err := s.flash(c, "ok", tr(c, "flash.your_password_was_changed_every")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
