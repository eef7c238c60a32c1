package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// auditVerifyShow shows one check: its progress while it runs (the page
// reloads itself), then what it found.
func (s *Server) auditVerifyShow(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	a, err := s.deps.History.AuditCheck(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v := templates.AuditCheckView{Page: s.page(c, tr(c, "title.audit_chain_check")), Check: auditCheckView(a), CanStart: canStartAuditCheck(s.user(c))}
	if !a.Done() {
		v.Refresh = refreshWhileRunning
	}
	return render(c, http.StatusOK, templates.AuditCheckPage(v))
}
