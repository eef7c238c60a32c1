package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/templates"
)

// orderSendConfirm is the page between "Send now" and the purchase: it
// restates what will be bought (the summary), with which account, at what
// estimated cost when one is known, approved by whom, and the version and
// hash the purchase will carry. Only its form buys (orderSend refuses a
// POST that did not come through it).
func (s *Server) orderSendConfirm(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	v, err := s.showView(c, o)
	if err != nil {
		return err
	}
	if !v.Send.CanSendNow {
		// Already queued, sent, or not the viewer's to send: the order
		// page says where it stands and what may be done.
		return c.Redirect(http.StatusSeeOther, templates.OrderPath(o.ID))
	}
	cv := templates.SendConfirmView{
		Page: s.page(c, tr(c, "title.confirm_the_purchase")), OrderID: o.ID, Title: o.Title, Summary: v.Summary,
		Account: v.Account, Version: o.Version, ParamsSHA256: o.ParamsSHA256,
	}
	if v.Approval != nil {
		for _, d := range v.Approval.Decisions {
			if d.Decision == "approve" && d.Current {
				cv.Approvers = append(cv.Approvers, d.Approver)
			}
		}
		if e := v.Approval.Estimate; e.Priced && !e.Unavailable {
			cv.EstimatedCost = e.Total
		}
	}
	return render(c, http.StatusOK, templates.SendConfirm(cv))
}
