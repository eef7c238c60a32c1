package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// orderClone copies any order into a new draft of the signed-in person's
// and opens it for editing.
func (s *Server) orderClone(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	clone, err := s.reworker.Clone(c.Request().Context(), s.ordersActor(c), o.ID)
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.order_cloned", "id", strconv.FormatInt(o.ID, 10))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.OrderPath(clone.ID)+"/edit")
}
