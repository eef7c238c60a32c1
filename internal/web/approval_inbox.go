package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// inboxLimit bounds the inbox page; the oldest waiting orders come first.
const inboxLimit = 200

// approvalInbox lists the orders waiting for the approver's decision.
func (s *Server) approvalInbox(c echo.Context) error {
	items, err := s.lists.Inbox(c.Request().Context(), s.ordersActor(c), inboxLimit)
	if err != nil {
		return err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.Order.ID
	}
	ests, err := s.lists.EstimatesFor(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	subjects := make([]orders.BudgetSubject, len(items))
	for i, it := range items {
		subjects[i] = orders.BudgetSubject{ID: it.Order.ID, AccountID: it.Order.AccountID, Status: it.Order.Status}
	}
	over, err := s.overBudget(c.Request().Context(), subjects, ests)
	if err != nil {
		return err
	}
	v := templates.ApprovalInboxView{Page: s.page(c, tr(c, "title.approvals"))}
	for _, it := range items {
		v.Items = append(v.Items, templates.ApprovalInboxItem{
			OrderID: it.Order.ID, Title: it.Order.Title, Product: productLabel(c, it.Order.Product), Account: it.AccountName,
			Requester: it.RequesterName, Version: it.Order.Version, Since: it.Order.StatusChangedAt,
			Approvals: it.Approvals, Required: it.Required, Summary: phraseText(c, it.Order.Summary().Headline),
			Estimate: estimateText(c, ests[it.Order.ID]), OverBudget: over[it.Order.ID],
		})
	}
	return render(c, http.StatusOK, templates.ApprovalInbox(v))
}
