package web

import (
	"strconv"

	"github.com/labstack/echo/v4"
)

// orderSubmit puts a draft before approvers, at the version the form carried.
func (s *Server) orderSubmit(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(c.FormValue("version"))
	_, err = s.deps.Orders.Submit(c.Request().Context(), s.ordersActor(c), id, version)
	return s.finishAction(c, id, err, "Submitted for approval.", approvalForm{})
}
