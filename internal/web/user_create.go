package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userCreate creates a user with a generated password and shows it once.
func (s *Server) userCreate(c echo.Context) error {
	r, err := readForm(c)
	if err != nil {
		return err
	}
	names, roles := formRoles(r)
	in := auth.NewUser{Username: r.text("username", line(auth.MaxUsernameLen)), Roles: roles}
	in.DisplayName, in.Email = profileFields(r)
	var u auth.User
	var password string
	fe := r.errs
	if r.ok() {
		u, password, err = s.users.CreateUser(c.Request().Context(), s.actor(c), in)
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		return render(c, http.StatusUnprocessableEntity, templates.UserNew(templates.UserNewView{
			Page: s.page(c, tr(c, "title.new_user")), Username: in.Username, DisplayName: in.DisplayName,
			Email: in.Email, Roles: roleOptions(names), Errors: fe,
		}))
	}
	if err != nil {
		return err
	}
	return s.oneTimePassword(c, u, password, true)
}
