package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/i18n"
	"dealdesk/web/templates"
)

// orderHistory is an order's timeline: every audit event about it and every
// approval decision, with who and when. Anyone who may read the order may
// read its history.
func (s *Server) orderHistory(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	t, err := s.deps.History.OrderTimeline(c.Request().Context(), o.ID)
	if err != nil {
		return err
	}
	v := templates.OrderHistoryView{Page: s.page(c, tr(c, "title.order_history", "id", strconv.FormatInt(o.ID, 10))), ID: o.ID,
		Title: o.Title, Status: string(o.Status), StatusLabel: statusLabel(c, o.Status), Truncated: t.Truncated}
	for _, e := range t.Events {
		v.Events = append(v.Events, auditRow(e, i18n.From(c.Request().Context())))
	}
	for _, a := range t.Approvals {
		v.Approvals = append(v.Approvals, templates.ApprovalRecord{Version: a.Version, Approver: a.ApproverName + " (" + a.ApproverUsername + ")",
			Decision: a.Decision, Comment: a.Comment, DecidedAt: a.DecidedAt, SHA256: a.ParamsSHA256})
	}
	return render(c, http.StatusOK, templates.OrderHistory(v))
}
