package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/i18n"
)

// ordersExport streams the orders the list's filters match, every page of
// them, as CSV or JSON Lines.
func (s *Server) ordersExport(c echo.Context) error {
	u := s.user(c)
	me := ""
	if u.Has(auth.RoleRequester) {
		me = u.Username
	}
	q := c.QueryParams()
	oq, errs := ordersQuery(q, me, i18n.From(c.Request().Context()))
	if len(errs) > 0 {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: tr(c, "error.filters_unreadable", "problems", errs.String())}
	}
	now := time.Now().UTC()
	meta := exportMeta("orders", now, q, i18n.From(c.Request().Context()).ZoneName())
	meta.Filters["requester"] = oq.Requester
	meta.Filters["sort"] = string(oq.Sort)
	f := exportFormat(c)
	// Resolve the people first, so an unknown name is a clear 422 and not a
	// file cut short.
	if err := s.deps.History.CheckQuery(c.Request().Context(), oq); err != nil {
		if fe, ok := fault.AsFields(err); ok {
			return &SafeError{Status: http.StatusUnprocessableEntity, Safe: oneText(i18n.From(c.Request().Context()), fe), Err: err}
		}
		return err
	}
	startExport(c, meta, f)
	n, err := s.deps.History.ExportOrders(c.Request().Context(), c.Response(), f, meta, oq, flusher(c))
	if err != nil {
		return exportFailed(c, "orders", n, err)
	}
	return nil
}
