package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
)

// logout ends the session: its row is deleted, so the cookie is worthless
// even if a copy of it survives somewhere.
func (s *Server) logout(c echo.Context) error {
	ctx := c.Request().Context()
	sess, err := s.session(c)
	if err != nil {
		return err
	}
	if info, ok := auth.SessionInfo(sess); ok {
		if err := s.auth.Logout(ctx, s.client(c), info.UserID, info.ID); err != nil {
			return err
		}
	}
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	s.rotateCSRF(c)
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}
