package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// orderDelete deletes a draft of the signed-in person's. The audit log
// keeps its history.
func (s *Server) orderDelete(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if err := s.reworker.Delete(c.Request().Context(), s.ordersActor(c), o.ID); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.draft_deleted", "id", strconv.FormatInt(o.ID, 10))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/orders")
}
