package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userUpdate saves a user's name, email and roles.
func (s *Server) userUpdate(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	names, roles := formRoles(r)
	in := auth.Profile{Roles: roles}
	in.DisplayName, in.Email = profileFields(r)
	fe := r.errs
	if r.ok() {
		_, err = s.users.UpdateProfile(c.Request().Context(), s.actor(c), u.ID, in)
		fe = fieldTexts(c, err)
	}
	if fe != nil {
		return render(c, http.StatusUnprocessableEntity, templates.UserEdit(templates.UserEditView{
			Page: s.page(c, u.Username), User: userRow(u), DisplayName: in.DisplayName, Email: in.Email,
			Roles: roleOptions(names), Errors: fe, Self: u.ID == s.user(c).ID,
		}))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.user_saved", "name", u.Username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID))
}
