package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// orderSend queues the send of an approved order whose policy sends by
// hand, for the parameter hash the page showed: a page left open while the
// order was edited and approved again cannot send the newer version. The
// job does the sending; the page shows its outcome.
func (s *Server) orderSend(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	hash := r.text("params_sha256", line(maxHash))
	if !r.ok() {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "The form's parameters hash was damaged; reload the order and try again. Nothing was sent."}
	}
	_, err = s.deps.Orders.RequestSend(c.Request().Context(), s.ordersActor(c), id, hash)
	return s.finishSend(c, id, err, "ok", "Queued to be sent, once. Refresh this page to see the outcome.", sendForm{})
}
