package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// approveConfirm is the page between "Approve and buy" and the purchase: the
// approval completes an order its policy sends at once, so it restates what
// will be bought, with which account, at what estimated cost, approved by
// whom, exactly as the Send now confirmation does. Its form carries the
// approval's own fields (comment, duplicates box, the estimate, version and
// hash that were shown) and confirmed=yes; nothing was recorded yet.
func (s *Server) approveConfirm(c echo.Context, id int64, version int, hash, comment string, opts orders.ApproveOptions) error {
	st, err := s.decider.ApprovalState(c.Request().Context(), s.ordersActor(c), id)
	if err != nil {
		return err
	}
	o := st.Order
	if o.Version != version || o.ParamsSHA256 != hash || !st.CanDecide {
		// The order moved on between the two pages: the approval page
		// says where it stands now.
		return s.renderApproval(c, http.StatusConflict, id, approvalForm{Comment: comment, NotDuplicate: opts.NotDuplicate,
			FormError: tr(c, "approval_words.changed_while_deciding")})
	}
	page := s.page(c, tr(c, "title.confirm_approval_purchase"))
	cv := templates.SendConfirmView{
		Page: page, OrderID: o.ID, Title: o.Title, Summary: orderSummary(c, o),
		Account: st.AccountName, Version: version, ParamsSHA256: hash,
		Approve: &templates.ApproveConfirm{Comment: comment, NotDuplicate: opts.NotDuplicate, Estimate: opts.Estimate,
			DuplicatesShown: joinIDs(opts.Shown)},
	}
	if e := estimateView(c, st.Estimate); e.Priced && !e.Unavailable {
		cv.EstimatedCost = e.Total
	}
	cv.Approvers = currentApprovers(st.Decisions)
	if page.User != nil {
		cv.Approvers = append(cv.Approvers, page.User.DisplayName+" (you, now)")
	}
	return render(c, http.StatusOK, templates.SendConfirm(cv))
}

// currentApprovers names who approved the current version.
func currentApprovers(ds []orders.DecisionRecord) []string {
	var out []string
	for _, d := range ds {
		if d.Decision == orders.DecisionApprove && d.Current {
			out = append(out, d.ApproverName)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
