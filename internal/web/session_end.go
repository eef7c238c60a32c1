package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// sessionEnd ends one session of a user.
func (s *Server) sessionEnd(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	// A session's id is a short token (maxShortText); what is not one
	// names no session.
	session := r.text("session", line(maxShortText))
	if !r.ok() {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "error.that_does_not_name_a"}
	}
	if err := s.auth.EndSession(c.Request().Context(), s.actor(c), u.ID, session); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.the_session_has_ended")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID)+"/sessions")
}
