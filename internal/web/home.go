package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

func (s *Server) home(c echo.Context) error {
	return render(c, http.StatusOK, templates.Home(templates.HomeView{Page: s.page(c, "Home")}))
}
