package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/history"
)

// exportFormat reads ?format= (csv or jsonl; jsonl by default: scripts
// read it line by line).
func exportFormat(q *query) history.Format {
	switch q.v.Get("format") {
	case "", "jsonl":
		return history.JSONL
	case "csv":
		return history.CSV
	}
	q.errs["format"] = "Expected csv or jsonl."
	return ""
}

// startExport sends an export's headers; the body streams after them, so
// an error midway can only cut the file short (and is logged).
func startExport(c echo.Context, kind string, f history.Format, at time.Time) {
	h := c.Response().Header()
	if f == history.JSONL {
		h.Set(echo.HeaderContentType, "application/jsonl; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="dealdesk-`+kind+`-`+at.Format("20060102T150405Z")+`.`+string(f)+`"`)
	c.Response().WriteHeader(http.StatusOK)
}

func meta(kind string, at time.Time, q *query) history.Meta {
	m := history.Meta{Export: kind, ExportedAt: at, Filters: map[string]string{}}
	for k := range q.v {
		if k != "format" {
			m.Filters[k] = q.v.Get(k)
		}
	}
	return m
}

// ordersExport streams every order the history's filters match.
func (s *Server) ordersExport(c echo.Context) error {
	q := newQuery(c, append(orderFilterParams, "format")...)
	oq := orderQuery(q)
	f := exportFormat(q)
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	// People are resolved first, so an unknown name is a clear 422 and not
	// a file cut short.
	if err := s.deps.History.CheckQuery(ctx, oq); err != nil {
		return err
	}
	now := time.Now().UTC()
	startExport(c, "orders", f, now)
	n, err := s.deps.History.ExportOrders(ctx, c.Response(), f, meta("orders", now, q), oq, c.Response().Flush)
	if err != nil {
		logger(c).Error("api: export failed midway", "export", "orders", "rows", n, "err", err)
	}
	return nil
}

// auditExport streams every audit entry the filters match, newest first.
func (s *Server) auditExport(c echo.Context) error {
	q := newQuery(c, append(auditFilterParams, "format")...)
	af := auditFilter(q)
	f := exportFormat(q)
	if err := q.err(); err != nil {
		return err
	}
	now := time.Now().UTC()
	startExport(c, "audit", f, now)
	n, err := s.deps.History.ExportAudit(c.Request().Context(), c.Response(), f, meta("audit", now, q), af, c.Response().Flush)
	if err != nil {
		logger(c).Error("api: export failed midway", "export", "audit", "rows", n, "err", err)
	}
	return nil
}
