package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderResend settles an unknown CreateInstance order by sending it again
// with its stored ClientToken (approvers and admins; the domain refuses
// anyone else and any other product). The call runs within this request:
// the person who pressed waits for its answer and sees it at once.
func (s *Server) orderResend(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	if err := s.requireSender(); err != nil {
		return err
	}
	o, err := s.settler.ResendWithToken(c.Request().Context(), s.ordersActor(c), id)
	kind, done := "ok", ""
	switch o.Status {
	case orders.StatusSucceeded:
		done = tr(c, "send_words.resend_bought")
	case orders.StatusFailed:
		done = tr(c, "send_words.resend_not_bought")
	default:
		kind, done = "error", tr(c, "send_words.resend_unknown")
	}
	return s.finishSend(c, id, err, kind, done, sendForm{})
}
