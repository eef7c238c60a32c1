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
		done = "Settled: bought. Tencent Cloud answered the resend with success; the same ClientToken means one purchase, whichever call made it."
	case orders.StatusFailed:
		done = "Settled: not bought. Tencent Cloud refused the resend, so the first call bought nothing either."
	default:
		kind, done = "error", "The resend got no clear answer either; the order is still unknown. Resend later: the same ClientToken keeps it to one purchase."
	}
	return s.finishSend(c, id, err, kind, done, sendForm{})
}
