package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// auditVerify checks the whole audit chain and reports the first broken
// link. It is a GET: checking changes nothing, and a bookmark re-checks.
func (s *Server) auditVerify(c echo.Context) error {
	rep, err := s.deps.History.VerifyChain(c.Request().Context())
	if err != nil {
		return err
	}
	v := templates.AuditVerifyView{Page: s.page(c, "Audit chain check"), Checked: rep.Checked, Head: rep.Head, Intact: rep.Broken == nil}
	if b := rep.Broken; b != nil {
		v.BreakSeq, v.BreakID, v.Reason = b.ChainSeq, b.ID, b.Reason
	}
	return render(c, http.StatusOK, templates.AuditVerify(v))
}
