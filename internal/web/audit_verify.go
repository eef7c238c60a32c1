package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/history"
	"dealdesk/web/templates"
)

// refreshWhileRunning is how often a page showing a running check reloads.
const refreshWhileRunning = 3

// auditVerify lists the checks of the audit chain and shows the one
// running now. Admins get the button that starts one; auditors read.
func (s *Server) auditVerify(c echo.Context) error {
	ctx := c.Request().Context()
	vs, err := s.deps.History.AuditChecks(ctx, 20)
	if err != nil {
		return err
	}
	v := templates.AuditVerifyView{Page: s.page(c, tr(c, "title.audit_chain_checks")), CanStart: canStartAuditCheck(s.user(c))}
	for _, a := range vs {
		check := auditCheckView(a)
		v.Checks = append(v.Checks, check)
		if !a.Done() && v.Active == nil {
			v.Active = &check
			v.Refresh = refreshWhileRunning
		}
	}
	return render(c, http.StatusOK, templates.AuditVerify(v))
}

// canStartAuditCheck: admins start checks. Auditors change nothing, not
// even by starting a check (it writes a row and audit events, and walks
// the whole log); they read every result, and can run `console audit
// verify` against a read-only database role of their own.
func canStartAuditCheck(u auth.User) bool { return u.HasAny(auth.RoleAdmin) }

func auditCheckView(a history.AuditVerification) templates.AuditCheck {
	v := templates.AuditCheck{
		ID: a.ID, Status: a.Status, StartedBy: a.StartedByUsername, RequestedAt: a.RequestedAt,
		StartedAt: a.StartedAt, FinishedAt: a.FinishedAt, Checked: a.Checked,
	}
	if a.HeadSeq != nil && a.HeadHash != nil {
		v.HeadSeq, v.Head = *a.HeadSeq, *a.HeadHash
	}
	if b := a.Broken; b != nil {
		v.BreakSeq, v.BreakID, v.Reason = b.ChainSeq, b.ID, b.Reason
	}
	return v
}
