package web

import (
	"net/http"
	"net/url"
	"sort"
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
// what, when and by which filters (the CSV has no room for them: see
// history.CSV). The body follows as it is read.
func startExport(c echo.Context, meta history.Meta, f history.Format) {
	h := c.Response().Header()
	if f == history.JSONL {
		h.Set(echo.HeaderContentType, "application/jsonl; charset=utf-8")
	} else {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+exportFileName(meta)+`.`+string(f)+`"`)
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
}

// exportFileName names an export by kind, time and the filters that were
// set, e.g. dealdesk-orders-20261130T002600Z-product_tcb-status_sent. Only
// letters, digits, '.' and '_' of a filter's value are kept, so the name is
// safe in a header and on any file system; it is cut at 150 characters.
func exportFileName(meta history.Meta) string {
	name := "dealdesk-" + meta.Export + "-" + meta.ExportedAt.UTC().Format("20060102T150405Z")
	keys := make([]string, 0, len(meta.Filters))
	for k, v := range meta.Filters {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name += "-" + fileWord(k) + "_" + fileWord(meta.Filters[k])
	}
	if len(name) > 150 {
		name = name[:150]
	}
	return name
}

// fileWord keeps what a file name may safely hold, '.' and '_' standing in
// for everything else.
func fileWord(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.':
			return r
		}
		return '_'
	}, s)
}

// exportMeta is an export's header: what, when, and the filters applied.
//
// Its times are UTC (written with their Z); the days of the from and to
// filters are the reader's, so day_zone names that zone (in the JSON Lines
// header and in the file name, which is all a CSV has).
func exportMeta(kind string, at time.Time, q url.Values, dayZone string) history.Meta {
	m := history.Meta{Export: kind, ExportedAt: at, Filters: map[string]string{"day_zone": dayZone}}
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
