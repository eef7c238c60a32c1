package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// deliveryScheduler sets and cancels an order's delivery date.
// *orders.Service is one.
type deliveryScheduler interface {
	SetDelivery(ctx context.Context, a orders.Actor, id int64, at time.Time) (orders.Order, error)
	CancelScheduledDelivery(ctx context.Context, a orders.Actor, id int64) (orders.Order, error)
}

// deliveryLayout is what a datetime-local input sends, read in the
// viewer's time zone.
const deliveryLayout = "2006-01-02T15:04"

// orderDelivery sets (or, empty, clears) when an order is to be bought, a
// time in the viewer's zone. It keeps the order's version and approvals:
// the date is when, not what (orders/delivery.go).
func (s *Server) orderDelivery(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(r.text("deliver_at", line(len(deliveryLayout)+3)))
	if !r.ok() {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "error.delivery_time_format"}
	}
	var at time.Time
	if raw != "" {
		zone := i18n.From(c.Request().Context()).Zone()
		// Browsers may send seconds too.
		if at, err = time.ParseInLocation(deliveryLayout, raw, zone); err != nil {
			if at, err = time.ParseInLocation(deliveryLayout+":05", raw, zone); err != nil {
				return &SafeError{Status: http.StatusUnprocessableEntity, Safe: "error.delivery_time_format"}
			}
		}
	}
	if _, err := s.delivery.SetDelivery(c.Request().Context(), s.ordersActor(c), id, at); err != nil {
		return err
	}
	done := tr(c, "flash.delivery_cleared")
	if !at.IsZero() {
		done = tr(c, "flash.delivery_set")
	}
	if err := s.flash(c, "ok", done); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.OrderPath(id))
}

// orderDeliveryCancel takes back a scheduled delivery before it starts;
// the order stays approved, without a date.
func (s *Server) orderDeliveryCancel(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	if _, err := s.delivery.CancelScheduledDelivery(c.Request().Context(), s.ordersActor(c), id); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash.delivery_cancelled")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.OrderPath(id))
}
