package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/db"
)

// auditPage is one page of the audit log, newest first.
type auditPage struct {
	Entries []AuditEntry `json:"entries"`
	// NextBefore fetches the next (older) page as ?before=; null on the last.
	NextBefore *int64 `json:"next_before"`
}

var auditFilterParams = []string{"actor", "action", "subject", "since", "until", "before"}

// auditFilter reads the audit log's filters, the same as the audit page's.
func auditFilter(q *query) db.AuditFilter {
	f := db.AuditFilter{
		Actor: q.text("actor", 64), ActionPrefix: q.text("action", 100), Subject: q.text("subject", 200),
		Since: q.date("since"), Until: q.date("until"), BeforeSeq: q.id("before"),
	}
	return f
}

// auditList lists one page of the audit log.
func (s *Server) auditList(c echo.Context) error {
	q := newQuery(c, auditFilterParams...)
	f := auditFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.deps.History.AuditLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := auditPage{Entries: make([]AuditEntry, 0, len(page.Entries))}
	for _, e := range page.Entries {
		details := json.RawMessage(e.DetailsText)
		if !json.Valid(details) {
			details = json.RawMessage("{}")
		}
		out.Entries = append(out.Entries, AuditEntry{
			ChainSeq: e.ChainSeq, ID: e.ID, OccurredAt: e.OccurredAt.UTC(), Actor: e.Actor, ActorUsername: e.ActorUsername,
			Action: e.Action, Subject: e.Subject, RemoteAddr: e.RemoteAddr, RequestID: e.RequestID,
			Details: details, PrevHash: e.PrevHash, Hash: e.Hash,
		})
	}
	if page.NextBefore > 0 {
		n := page.NextBefore
		out.NextBefore = &n
	}
	return reply(c, http.StatusOK, out)
}

// me tells a client who its token acts as and what it may do.
func (s *Server) me(c echo.Context) error {
	p := principal(c)
	type meView struct {
		TokenID   int64    `json:"token_id"`
		TokenName string   `json:"token_name"`
		Kind      string   `json:"kind"`
		Scopes    []string `json:"scopes"`
		ExpiresAt string   `json:"expires_at"`
		UserID    int64    `json:"user_id"`
		Username  string   `json:"username"`
		Roles     []string `json:"roles"`
	}
	v := meView{TokenID: p.Token.ID, TokenName: p.Token.Name, Kind: string(p.Token.Kind),
		ExpiresAt: p.Token.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z"), UserID: p.User.ID, Username: p.User.Username,
		Scopes: []string{}, Roles: []string{}}
	for _, sc := range p.Token.Scopes {
		v.Scopes = append(v.Scopes, string(sc))
	}
	for _, r := range p.Roles() {
		v.Roles = append(v.Roles, string(r))
	}
	c.Response().Header().Set("X-Token-Id", strconv.FormatInt(p.Token.ID, 10))
	return reply(c, http.StatusOK, v)
}
