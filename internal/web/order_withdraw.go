package web

import (
	"github.com/labstack/echo/v4"
)

// orderWithdraw takes a pending order back to draft.
func (s *Server) orderWithdraw(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	_, err = s.decider.Withdraw(c.Request().Context(), s.ordersActor(c), id)
	return s.finishAction(c, id, err, tr(c, "flash.withdrawn"), approvalForm{})
}
