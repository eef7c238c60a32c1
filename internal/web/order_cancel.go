package web

import (
	"github.com/labstack/echo/v4"
)

// orderCancel cancels an order that has not started sending.
func (s *Server) orderCancel(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	_, err = s.deps.Orders.Cancel(c.Request().Context(), s.ordersActor(c), id, c.FormValue("reason"))
	return s.finishAction(c, id, err, "Cancelled. Nothing will be bought for this order.", approvalForm{})
}
