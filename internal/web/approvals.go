package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// approvalOrderID reads the :id of an order route. A malformed id is the
// same 404 as a missing order.
func approvalOrderID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

func approvalPath(id int64) string { return fmt.Sprintf("/orders/%d/approval", id) }

// approvalsCounter counts an approver's inbox and, for those who settle
// them, the orders whose outcome is unknown, for the navigation of every
// page (the error page included).
type approvalsCounter interface {
	WaitingCount(ctx context.Context, a orders.Actor) (int, error)
	UnknownCount(ctx context.Context) (int, error)
}

// orderDecider is what the approval page and its moves (submit, withdraw,
// cancel, approve, reject) need of the domain. *orders.Service is one; the
// handlers' tests use a fake.
type orderDecider interface {
	ApprovalState(ctx context.Context, a orders.Actor, id int64) (orders.ApprovalState, error)
	Submit(ctx context.Context, a orders.Actor, id int64, version int) (orders.Order, error)
	Withdraw(ctx context.Context, a orders.Actor, id int64) (orders.Order, error)
	Cancel(ctx context.Context, a orders.Actor, id int64, reason string) (orders.Order, error)
	Approve(ctx context.Context, a orders.Actor, id int64, version int, hash, comment string, opts orders.ApproveOptions) (orders.Order, error)
	Reject(ctx context.Context, a orders.Actor, id int64, version int, hash, comment string) (orders.Order, error)
	// CheckFunds is the funds check of an order against a balance.
	CheckFunds(ctx context.Context, o orders.Order, est orders.Estimate, balanceFen int64) (orders.Funds, error)
}

// approvalsWaiting counts an approver's inbox for the navigation. A failure
// costs the badge, not the page.
func (s *Server) approvalsWaiting(c echo.Context, u *auth.User) int {
	if u == nil || s.inbox == nil || !u.Has(auth.RoleApprover) {
		return 0
	}
	n, err := s.inbox.WaitingCount(c.Request().Context(), orders.Actor{UserID: u.ID, Roles: roleNames(u.Roles)})
	if err != nil {
		logger(c).Warn("counting the approvals inbox", "err", err)
		return 0
	}
	c.Set(ctxWaitingCount, n)
	return n
}

// ctxWaitingCount keeps the request's count of the inbox once the
// navigation counted it, so the home page does not count it again.
const ctxWaitingCount = "waiting_count"

// waitingCounted is the inbox count the navigation made in this request.
func waitingCounted(c echo.Context) (int, bool) {
	n, ok := c.Get(ctxWaitingCount).(int)
	return n, ok
}

// unknownOrders counts the orders whose outcome is unknown for the
// navigation of approvers and admins, who settle them. A failure costs the
// badge, not the page.
func (s *Server) unknownOrders(c echo.Context, u *auth.User) int {
	if u == nil || s.inbox == nil || (!u.Has(auth.RoleApprover) && !u.Has(auth.RoleAdmin)) {
		return 0
	}
	n, err := s.inbox.UnknownCount(c.Request().Context())
	if err != nil {
		logger(c).Warn("counting the orders whose outcome is unknown", "err", err)
		return 0
	}
	return n
}

// approvalForm is what a refused decision brings back to the page.
type approvalForm struct {
	Comment string
	// NotDuplicate is the box "I have checked this is not a duplicate".
	NotDuplicate bool
	Errors       map[string]string
	FormError    string
}

// renderApproval shows an order's approval page as the viewer may see it.
func (s *Server) renderApproval(c echo.Context, status int, id int64, f approvalForm) error {
	st, err := s.decider.ApprovalState(c.Request().Context(), s.ordersActor(c), id)
	if err != nil {
		return err
	}
	page := s.page(c, tr(c, "title.order", "id", strconv.FormatInt(id, 10)))
	v := templates.ApprovalPageView{Page: page, Order: approvalOrder(c, st), Panel: approvalPanel(c, st, page.CSRFToken, f),
		Back: templates.NavLink{Href: "/orders", Text: tr(c, "layout.orders")}}
	a := s.ordersActor(c)
	if a.Has(auth.RoleApprover) {
		v.Back = templates.NavLink{Href: "/approvals", Text: tr(c, "layout.approvals")}
	}
	switch st.Order.Status {
	case orders.StatusApproved:
		v.SendNow = !st.Policy.AutoSend && orders.MaySend(a, st.Order)
		v.Follow = !v.SendNow
	case orders.StatusSending, orders.StatusUnknown, orders.StatusSucceeded, orders.StatusFailed, orders.StatusAwaitingPayment:
		v.Follow = true
	}
	if v.Panel.Budget, err = s.budgetView(c.Request().Context(), st.Order, st.Estimate); err != nil {
		return err
	}
	if st.CanDecide {
		if v.Funds, err = s.fundsView(c, st.Order, st.Estimate); err != nil {
			return err
		}
	}
	return render(c, status, templates.ApprovalPage(v))
}

func approvalOrder(c echo.Context, st orders.ApprovalState) templates.ApprovalOrder {
	o := st.Order
	params := string(o.Params)
	var buf bytes.Buffer
	if json.Indent(&buf, o.Params, "", "  ") == nil {
		params = buf.String()
	}
	return templates.ApprovalOrder{
		ID: o.ID, Title: o.Title, Product: productLabel(c, o.Product), Account: st.AccountName, Region: o.Region,
		Requester: st.RequesterName, Justification: o.Justification, Status: string(o.Status), StatusLabel: statusLabel(c, o.Status),
		Version: o.Version, ParamsSHA256: o.ParamsSHA256, Params: params, Summary: orderSummary(c, o),
	}
}

// approvalPanel is the view of ApprovalPanel; the order view can embed the
// panel with it.
func approvalPanel(c echo.Context, st orders.ApprovalState, csrf string, f approvalForm) templates.ApprovalPanelView {
	o := st.Order
	v := templates.ApprovalPanelView{
		OrderID: o.ID, CSRFToken: csrf, Status: string(o.Status), StatusLabel: statusLabel(c, o.Status),
		Version: o.Version, ParamsSHA256: o.ParamsSHA256, Approvals: st.Approvals, Estimate: estimateView(c, st.Estimate),
		Required: st.Policy.RequiredApprovers, PolicyScope: policyScope(c, st.Policy), AutoSend: st.Policy.AutoSend, ApproveBuys: st.ApproveBuys,
		Baseline: st.Baseline, BaselineIsMine: st.BaselineIsMine, IsRequester: st.IsRequester,
		CanDecide: st.CanDecide, CanSubmit: st.CanSubmit, CanWithdraw: st.CanWithdraw, CanCancel: st.CanCancel,
		Comment: f.Comment, NotDuplicate: f.NotDuplicate, Errors: f.Errors, FormError: f.FormError,
	}
	v.Rule, v.CannotDecide = approvalRuleView(i18n.From(c.Request().Context()), st)
	if at, ok := o.ApprovalExpired(); ok {
		v.ApprovalExpired = at
	}
	v.ApprovalExpires = st.ApprovalExpires
	v.DeliverAt = o.DeliverAt
	if st.Rule != nil {
		// What the pinned rule needs, not what the policy says now.
		v.Required, v.AutoSend = st.Rule.Required(), st.Rule.AutoSend
	}
	for _, d := range st.Duplicates {
		v.Duplicates = append(v.Duplicates, templates.ApprovalDuplicate{
			ID: d.ID, Title: d.Title, Status: string(d.Status), StatusLabel: statusLabel(c, d.Status), When: d.When,
			SamePurchase: d.SamePurchase, SameTarget: d.SameTarget, Blocks: d.Blocks(),
		})
	}
	for _, d := range st.Decisions {
		v.Decisions = append(v.Decisions, approvalDecision(d))
	}
	if st.Mine != nil {
		mine := approvalDecision(*st.Mine)
		v.MyDecision = &mine
	}
	for _, ch := range orders.Words(o.Product, st.Changes) {
		raw := ch.Change
		v.Changes = append(v.Changes, templates.ApprovalChange{Field: raw.Field, Before: raw.Before, After: raw.After,
			Label: phraseText(c, ch.Label), Was: phraseText(c, ch.Was), Now: phraseText(c, ch.Now)})
	}
	return v
}

func approvalDecision(d orders.DecisionRecord) templates.ApprovalDecision {
	return templates.ApprovalDecision{Approver: d.ApproverName, Decision: string(d.Decision), Comment: d.Comment,
		Version: d.Version, DecidedAt: d.DecidedAt, Current: d.Current}
}

// finishAction answers a workflow POST: back to the approval page with a
// flash when it worked; the page again, with the refusal and status 409,
// when the order moved on (so the person sees where it stands now); the
// error page for anything else (403 for a forbidden move).
func (s *Server) finishAction(c echo.Context, id int64, err error, done string, f approvalForm) error {
	return s.finishActionTo(c, id, err, done, approvalPath(id), f)
}

// finishActionTo is finishAction landing, when it worked, on land.
func (s *Server) finishActionTo(c echo.Context, id int64, err error, done, land string, f approvalForm) error {
	if msg, ok := movedOn(c, err); ok {
		f.FormError = msg
		return s.renderApproval(c, http.StatusConflict, id, f)
	}
	if fe := fieldTexts(c, err); fe != nil {
		f.Errors = fe
		if fe["not_duplicate"] != "" {
			// The list may have changed: the box must be ticked against
			// the list shown now.
			f.NotDuplicate = false
		}
		return s.renderApproval(c, http.StatusUnprocessableEntity, id, f)
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", done); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, land)
}

// decide records an approval or a rejection of the version and hash the
// form carried.
func (s *Server) decide(c echo.Context, d orders.Decision) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	comment := r.text("comment", lines(orders.MaxCommentLen))
	version, _ := r.number("version", 1, math.MaxInt32, "field.no_version_decide")
	hash := r.text("params_sha256", line(maxHash))
	opts := orders.ApproveOptions{NotDuplicate: r.flag("not_duplicate"), Estimate: r.text("estimate", line(64))}
	if _, ok := r.vals["duplicates_shown"]; ok {
		opts.Shown = r.ids("duplicates_shown", "field.duplicates_damaged")
	}
	// An approval that completes an order sent at once buys it: only the
	// confirmation page's form (confirmed=yes) may do that.
	opts.AskBeforeBuying = r.choice("confirmed", "field.confirmation_damaged", "yes") != "yes"
	if !r.ok() {
		return s.refuseAction(c, id, r.errs, approvalForm{Comment: comment, NotDuplicate: opts.NotDuplicate})
	}
	ctx, a := c.Request().Context(), s.ordersActor(c)
	var o orders.Order
	done := tr(c, "flash.rejected")
	if d == orders.DecisionReject {
		o, err = s.decider.Reject(ctx, a, id, version, hash, comment)
	} else {
		o, err = s.decider.Approve(ctx, a, id, version, hash, comment, opts)
		if errors.Is(err, orders.ErrApprovalBuys) {
			return s.approveConfirm(c, id, version, hash, comment, opts)
		}
		done = tr(c, "flash.approval_recorded", "version", strconv.Itoa(version))
		if o.Status == orders.StatusApproved {
			// The page it lands on offers the next step: Send now (on the
			// approval page), or for an approval that bought, the order's
			// own page, where the send under way refreshes to its outcome.
			done = tr(c, "flash.approved")
		}
	}
	land := approvalPath(id)
	if err == nil && d == orders.DecisionApprove && !opts.AskBeforeBuying && o.Status == orders.StatusApproved {
		// Only the confirmation's form says confirmed=yes, and it is shown
		// only for an approval that buys: the send is queued now.
		land = templates.OrderPath(id)
	}
	return s.finishActionTo(c, id, err, done, land, approvalForm{Comment: comment, NotDuplicate: opts.NotDuplicate})
}

// refuseAction answers a workflow POST the input boundary refused: the page
// again with 422 and the input kept; nothing was decided. The messages of
// hidden fields have no place beside a control, so they go on top.
func (s *Server) refuseAction(c echo.Context, id int64, errs map[string]string, f approvalForm) error {
	f.Errors = errs
	for _, k := range []string{"version", "params_sha256", "estimate", "duplicates_shown", "not_duplicate"} {
		if msg := errs[k]; msg != "" && f.FormError == "" {
			f.FormError = msg + " Reload the page and try again."
		}
	}
	return s.renderApproval(c, http.StatusUnprocessableEntity, id, f)
}
