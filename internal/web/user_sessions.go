package web

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userSessions lists a user's live sessions.
func (s *Server) userSessions(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	list, err := s.users.Sessions(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	var current []byte
	if sess, err := s.session(c); err == nil {
		if info, ok := auth.SessionInfo(sess); ok {
			current = info.ID
		}
	}
	v := templates.UserSessionsView{Page: s.page(c, tr(c, "title.user_sessions", "name", u.Username)), User: userRow(u)}
	for _, se := range list {
		v.Sessions = append(v.Sessions, templates.SessionRow{
			Ref: se.Ref(), Label: se.Label(), CreatedAt: se.CreatedAt, LastSeenAt: se.LastSeenAt,
			ExpiresAt: se.ExpiresAt, UserAgent: se.UserAgent, RemoteAddr: se.RemoteAddr,
			Current: bytes.Equal(se.ID, current),
		})
	}
	return render(c, http.StatusOK, templates.UserSessions(v))
}
