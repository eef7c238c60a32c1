package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// userDisable disables a user and ends their sessions. Refusals (oneself,
// the last admin) come back on the user's page with 409.
func (s *Server) userDisable(c echo.Context) error {
	u, err := s.pathUser(c)
	if err != nil {
		return err
	}
	_, err = s.users.SetDisabled(c.Request().Context(), s.actor(c), u.ID, true)
	if msg, refused := movedOn(c, err); refused {
		return render(c, http.StatusConflict, templates.UserEdit(templates.UserEditView{
			Page: s.page(c, u.Username), User: userRow(u), DisplayName: u.DisplayName, Email: u.Email,
			Roles: roleOptions(roleNames(u.Roles)), Error: msg, Self: u.ID == s.user(c).ID,
		}))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.user_disabled", "name", u.Username)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, userPath(u.ID))
}
