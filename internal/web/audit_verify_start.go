package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/jobs"
)

// AuditChecker starts a check of the audit chain in the background
// (jobs.Queue): the row, its audit event and its job in one transaction.
type AuditChecker interface {
	StartAuditVerification(ctx context.Context, actor jobs.AuditActor) (id int64, started bool, err error)
}

// auditVerifyStart starts a check (admins) and shows its page. While one
// runs, asking again shows that one instead of starting a second walk.
func (s *Server) auditVerifyStart(c echo.Context) error {
	if s.deps.AuditChecks == nil {
		return &SafeError{Status: http.StatusServiceUnavailable, Safe: "error.audit_chain_checks_are_not"}
	}
	u, cl := s.user(c), s.client(c)
	id, started, err := s.deps.AuditChecks.StartAuditVerification(c.Request().Context(),
		jobs.AuditActor{UserID: u.ID, RemoteAddr: cl.RemoteAddr, RequestID: cl.RequestID})
	if err != nil {
		return err
	}
	msg := tr(c, "audit_words.check_started")
	if !started {
		msg = tr(c, "audit_words.check_already_running")
	}
	if err := s.flash(c, "ok", msg); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/audit/verify/"+strconv.FormatInt(id, 10))
}
