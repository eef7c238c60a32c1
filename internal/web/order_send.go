package web

import (
	"context"
	"math"
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// sendRequester asks for an approved order to be sent. *orders.Service is
// one.
type sendRequester interface {
	RequestSend(ctx context.Context, a orders.Actor, id int64, hash string) (orders.Order, error)
}

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
	confirmed := r.choice("confirmed", "field.confirmation_damaged", "yes") == "yes"
	version := 0
	if confirmed {
		version, _ = r.number("version", 1, math.MaxInt32, "field.no_version_send")
	}
	if !r.ok() {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "error.the_form_s_version_or"}
	}
	if !confirmed {
		// Money moves only from the confirmation page: an old form, a
		// bookmarked POST or a forged one lands there, and nothing is sent.
		return c.Redirect(http.StatusSeeOther, templates.OrderPath(id)+"/send")
	}
	if err := s.sameVersion(c, id, version); err != nil {
		return s.finishSend(c, id, err, "", "", sendForm{})
	}
	_, err = s.sends.RequestSend(c.Request().Context(), s.ordersActor(c), id, hash)
	return s.finishSend(c, id, err, "ok", tr(c, "send_words.queued"), sendForm{})
}

// sameVersion refuses a purchase confirmed on a version the order no longer
// has. The hash is the binding check (the domain's, under the order's
// lock); the version is what the person read on the confirmation page.
func (s *Server) sameVersion(c echo.Context, id int64, version int) error {
	o, err := s.reader.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if o.Version != version {
		return fault.New(fault.Stale, "order.stale")
	}
	return nil
}
