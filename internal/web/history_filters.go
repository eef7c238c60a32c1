package web

import (
	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dateLayout is how history filters take dates: a day of the reader's
// time zone, the zone every time on their pages is shown in.
const dateLayout = "2006-01-02"

// filterErrors maps a filter's field to what is wrong with it. Bad filter
// input re-renders the page with the message (422), never a 500.
type filterErrors map[string]string

// dateRange reads the "from" and "to" days of a filter: from the start of
// "from" to the end of "to", both inclusive, as days of the reader's zone
// (midnight in Asia/Shanghai is 16:00 UTC the day before). Stored times
// are UTC; only the boundaries move.
func dateRange(q url.Values, errs filterErrors, loc *i18n.Localizer) (since, until time.Time) {
	zone := loc.Zone()
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		t, err := time.ParseInLocation(dateLayout, v, zone)
		if err != nil {
			errs["from"] = loc.T("filter.day_format")
		}
		since = t
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		t, err := time.ParseInLocation(dateLayout, v, zone)
		if err != nil {
			errs["to"] = loc.T("filter.day_format")
		} else {
			until = t.AddDate(0, 0, 1)
		}
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		errs["to"] = loc.T("filter.day_order")
	}
	return since, until
}

// cursorParam reads a positive keyset cursor; anything else starts over at
// the first page, which is what a mangled link deserves.
func cursorParam(q url.Values, name string) int64 {
	n, err := strconv.ParseInt(q.Get(name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// maxFilterLen bounds a text filter: enough for any id or name we store.
const maxFilterLen = 200

// textParam reads a trimmed text filter through the input boundary: one
// line of clean text, no longer than anything it could match.
func textParam(q url.Values, name string, errs filterErrors, loc *i18n.Localizer) string {
	v := strings.TrimSpace(q.Get(name))
	if utf8.RuneCountInString(v) > maxFilterLen {
		errs[name] = loc.T("field.filter_too_long", "max", loc.Int(maxFilterLen))
		return ""
	}
	if msg := textProblem(v, line(maxFilterLen), loc); msg != "" {
		errs[name] = msg
		return ""
	}
	return v
}

// auditFilter reads the audit page's filters from the query string.
func auditFilter(q url.Values, loc *i18n.Localizer) (history.AuditFilter, filterErrors) {
	errs := filterErrors{}
	f := history.AuditFilter{
		BeforeSeq:    cursorParam(q, "before"),
		Actor:        textParam(q, "actor", errs, loc),
		ActionPrefix: textParam(q, "action", errs, loc),
		Subject:      textParam(q, "subject", errs, loc),
	}
	f.Since, f.Until = dateRange(q, errs, loc)
	return f, errs
}

// String lists the problems, field by field, for a page that has no form
// to show them beside (an export link).
func (e filterErrors) String() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+": "+e[k])
	}
	return strings.Join(parts, " ")
}
