package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/history"
	"dealdesk/internal/i18n"
	"dealdesk/web/templates"
)

// auditList is the audit log for admins and auditors: newest first,
// filtered, one keyset page at a time.
func (s *Server) auditList(c echo.Context) error {
	q := c.QueryParams()
	f, errs := auditFilter(q, i18n.From(c.Request().Context()))
	v := templates.AuditLogView{Page: s.page(c, tr(c, "title.audit_log")), Actor: q.Get("actor"), Action: q.Get("action"),
		Subject: q.Get("subject"), From: q.Get("from"), To: q.Get("to"), Errors: errs}
	if len(errs) > 0 {
		return render(c, http.StatusUnprocessableEntity, templates.AuditLog(v))
	}
	page, err := s.deps.History.AuditLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for _, e := range page.Entries {
		v.Entries = append(v.Entries, auditRow(e, i18n.From(c.Request().Context())))
	}
	v.Query = filterQuery(q, "before").Encode()
	if page.NextBefore > 0 {
		next := filterQuery(q, "before")
		next.Set("before", strconv.FormatInt(page.NextBefore, 10))
		v.NextURL = "/audit?" + next.Encode()
	}
	return render(c, http.StatusOK, templates.AuditLog(v))
}

// filterQuery is the request's filters without the paging parameters, to
// build the next page's link and the export links from.
func filterQuery(q url.Values, paging ...string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if len(vs) > 0 && vs[0] != "" {
			out.Set(k, vs[0])
		}
	}
	for _, p := range paging {
		out.Del(p)
	}
	return out
}

// auditRow is an entry as the audit table shows it, its sentence in the
// reader's language.
func auditRow(e history.AuditEntry, l *i18n.Localizer) templates.AuditRow {
	actor := e.Actor
	if e.ActorName != "" {
		actor = e.ActorName + " (" + e.ActorUsername + ")"
	}
	return templates.AuditRow{Seq: e.ChainSeq, ID: e.ID, At: e.OccurredAt, Actor: actor, Action: e.Action,
		Subject: e.Subject, RemoteAddr: e.RemoteAddr, RequestID: e.RequestID, Details: e.DetailsText, Hash: e.Hash,
		Sentence: history.Sentence(e, l.TArgs)}
}
