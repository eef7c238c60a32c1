package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// deliveryList shows the delivery log, newest first, a page at a time
// (?before=ID).
func (s *Server) deliveryList(c echo.Context) error {
	r := newFieldReader(c.QueryParams(), i18n.From(c.Request().Context()))
	var before int64
	if c.QueryParam("before") != "" {
		before, _ = r.id("before", "field.follow_older")
	}
	if !r.ok() {
		return &SafeError{Status: http.StatusBadRequest, Safe: r.errs["before"]}
	}
	list, err := s.deps.Notify.Deliveries(c.Request().Context(), s.ordersActor(c), before)
	if err != nil {
		return err
	}
	v := templates.DeliveriesView{Page: s.page(c, tr(c, "notifications.deliveries"))}
	for _, d := range list {
		v.Rows = append(v.Rows, deliveryRow(c, d))
	}
	if len(list) == notify.DeliveryPageSize {
		v.Older = "/admin/deliveries?before=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	return render(c, http.StatusOK, templates.Deliveries(v))
}

// deliveryResend queues a delivery again (audited by the service).
func (s *Server) deliveryResend(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	if err := s.deps.Notify.Resend(c.Request().Context(), s.ordersActor(c), id); err != nil {
		return err
	}
	if err := s.flash(c, "ok", msg(c, fault.M("delivery.resent", "id", strconv.FormatInt(id, 10)))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/deliveries")
}

// deliveryRow words a delivery for the log: the channel by its kind and
// whom it reached, never a webhook's address (it may hold a key); why it
// failed by the kind the log keeps, in the reader's language, never an
// error's text.
func deliveryRow(c echo.Context, d notify.Delivery) templates.DeliveryRow {
	r := templates.DeliveryRow{ID: d.ID, When: i18n.From(c.Request().Context()).Time(d.CreatedAt), OrderID: d.OrderID,
		Event: msg(c, fault.M("notify.event."+d.Event)), Status: msg(c, fault.M("delivery.status."+d.Status)),
		Attempts: d.Attempts, Reminder: d.Reminder}
	if m, ok := notify.FailureMessage(d.LastError); ok {
		r.LastError = msg(c, m)
	}
	switch d.Channel {
	case "webhook":
		label := webhookFormatLabel(c, orders.WebhookFormat(d.WebhookFormat))
		if d.PolicyID == 0 {
			label = msg(c, fault.M("delivery.channel.policy_deleted"))
		}
		r.Channel = msg(c, fault.M("delivery.channel.webhook", "format", label, "policy", strconv.FormatInt(d.PolicyID, 10)))
	default:
		r.Channel = msg(c, fault.M("delivery.channel.email", "name", d.UserName))
	}
	return r
}
