package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/templates"
)

// userNew shows the form that creates a user; requester is ticked, the role
// most people need.
func (s *Server) userNew(c echo.Context) error {
	return render(c, http.StatusOK, templates.UserNew(templates.UserNewView{
		Page: s.page(c, tr(c, "title.new_user")), Roles: roleOptions([]string{string(auth.RoleRequester)}),
	}))
}
