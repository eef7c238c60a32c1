package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userCreate creates a user with a generated password and shows it once.
func (s *Server) userCreate(c echo.Context) error {
	names, roles := formRoles(c)
	in := auth.NewUser{
		Username: c.FormValue("username"), DisplayName: c.FormValue("display_name"),
		Email: c.FormValue("email"), Roles: roles,
	}
	u, password, err := s.auth.CreateUser(c.Request().Context(), s.actor(c), in)
	var fe auth.FieldErrors
	if errors.As(err, &fe) {
		return render(c, http.StatusUnprocessableEntity, templates.UserNew(templates.UserNewView{
			Page: s.page(c, "New user"), Username: in.Username, DisplayName: in.DisplayName,
			Email: in.Email, Roles: roleOptions(names), Errors: fe,
		}))
	}
	if err != nil {
		return err
	}
	return s.oneTimePassword(c, u, password, true)
}
