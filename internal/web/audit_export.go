package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
)

// auditExport streams the audit entries the audit page's filters match,
// newest first, as CSV or JSON Lines.
func (s *Server) auditExport(c echo.Context) error {
	q := c.QueryParams()
	f, errs := auditFilter(q, i18n.From(c.Request().Context()))
	if len(errs) > 0 {
		return &SafeError{Status: http.StatusUnprocessableEntity, Safe: tr(c, "error.filters_unreadable", "problems", errs.String())}
	}
	now := time.Now().UTC()
	format := exportFormat(c)
	meta := exportMeta("audit", now, q, i18n.From(c.Request().Context()).ZoneName())
	startExport(c, meta, format)
	n, err := s.deps.History.ExportAudit(c.Request().Context(), c.Response(), format, meta, f, flusher(c))
	if err != nil {
		return exportFailed(c, "audit", n, err)
	}
	return nil
}
