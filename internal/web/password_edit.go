package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// passwordEdit shows the form to change one's own password.
func (s *Server) passwordEdit(c echo.Context) error {
	return render(c, http.StatusOK, templates.Password(templates.PasswordView{
		Page: s.page(c, tr(c, "title.change_password")), MinLength: auth.MinPasswordLen, MustChange: s.user(c).MustChangePassword,
	}))
}
