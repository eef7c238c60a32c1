package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// userList lists every user.
func (s *Server) userList(c echo.Context) error {
	users, err := s.users.Users(c.Request().Context())
	if err != nil {
		return err
	}
	v := templates.UserListView{Page: s.page(c, tr(c, "title.users"))}
	for _, u := range users {
		v.Users = append(v.Users, userRow(u))
	}
	return render(c, http.StatusOK, templates.UserList(v))
}
