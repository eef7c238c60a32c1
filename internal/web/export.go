package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/history"
)

// exportFormat is the format an export route names by its extension.
func exportFormat(c echo.Context) history.Format {
	if strings.HasSuffix(c.Path(), ".jsonl") {
		return history.JSONL
	}
	return history.CSV
}

// startExport sends an export's headers: its type, and a file name naming
// what and when. The body follows as it is read.
func startExport(c echo.Context, kind string, f history.Format, at time.Time) {
	h := c.Response().Header()
	if f == history.JSONL {
		h.Set(echo.HeaderContentType, "application/jsonl; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="dealdesk-`+kind+`-`+at.Format("20060102T150405Z")+`.`+string(f)+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
}

// exportMeta is an export's header: what, when, and the filters applied.
func exportMeta(kind string, at time.Time, q url.Values) history.Meta {
	m := history.Meta{Export: kind, ExportedAt: at, Filters: map[string]string{}}
	for k := range filterQuery(q) {
		m.Filters[k] = q.Get(k)
	}
	return m
}

// flusher pushes each page of an export to the client as it is written.
func flusher(c echo.Context) func() {
	return func() { c.Response().Flush() }
}

// exportFailed logs an export that broke after its first bytes went out:
// the status is sent, so the client sees a short file; the log says why.
func exportFailed(c echo.Context, kind string, rows int64, err error) error {
	logger(c).Error("export failed midway", "export", kind, "rows", rows, "err", err)
	return nil
}
