package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderCancel cancels an order that has not started sending.
func (s *Server) orderCancel(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	reason := r.text("reason", lines(orders.MaxCommentLen))
	if !r.ok() {
		return s.refuseAction(c, id, r.errs, approvalForm{FormError: tr(c, "approval_words.the_reason", "message", r.errs["reason"])})
	}
	_, err = s.decider.Cancel(c.Request().Context(), s.ordersActor(c), id, reason)
	return s.finishAction(c, id, err, tr(c, "flash.cancelled"), approvalForm{})
}
