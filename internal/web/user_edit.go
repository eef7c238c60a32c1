package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// userEdit shows one user: the profile form and the access buttons.
func (s *Server) userEdit(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.UserEdit(templates.UserEditView{
		Page: s.page(c, u.Username), User: userRow(u), DisplayName: u.DisplayName, Email: u.Email,
		Roles: roleOptions(roleNames(u.Roles)), Self: u.ID == s.user(c).ID,
	}))
}
