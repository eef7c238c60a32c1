package web

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/web/templates"
)

// sendingReader is what the sending part of an order page reads: who may
// send or settle now, and the attempts so far. *orders.Service is one.
type sendingReader interface {
	SendingState(ctx context.Context, a orders.Actor, o orders.Order) (orders.SendingState, error)
	SendAttempts(ctx context.Context, id int64) ([]orders.SendAttempt, error)
}

// sendView is the order page's sending section as the viewer sees it: what
// they may press, what the last send came to, and every attempt (beside the
// sandbox's record of it, in sandbox mode). The buttons shown decide
// nothing: the domain checks each POST again.
func (s *Server) sendView(c echo.Context, st orders.ApprovalState, csrf string) (templates.SendView, error) {
	o := st.Order
	v := templates.SendView{
		OrderID: o.ID, CSRFToken: csrf, Status: string(o.Status), HasDeals: o.Product.Spec().AnswerHasDeals,
		ParamsSHA256: o.ParamsSHA256, AutoSend: st.Policy.AutoSend, ClientToken: o.ClientToken,
		Outcome: outcomeView(o.Sent), Sandbox: s.deps.SandboxCalls != nil,
	}
	if !v.Shown() {
		return v, nil
	}
	ss, err := s.sendings.SendingState(c.Request().Context(), s.ordersActor(c), o)
	if err != nil {
		return v, err
	}
	v.SendQueued, v.CanSendNow, v.CanSettle, v.Resendable = ss.SendQueued, ss.CanSendNow, ss.CanSettle, ss.SettlesByResend
	attempts, err := s.sendings.SendAttempts(c.Request().Context(), o.ID)
	if err != nil {
		return v, err
	}
	if o.Status == orders.StatusUnknown && s.settler != nil {
		f, ok, err := s.settler.LatestFindings(c.Request().Context(), o.ID)
		if err != nil {
			return v, err
		}
		if ok {
			b := billLookupView(c, f)
			b.CanConfirm = v.CanSettle && (f.Proposal == sending.ProposeBought || f.Proposal == sending.ProposeNotBought)
			v.Bill = &b
		}
	}
	var matches []*sandboxMatch
	if s.deps.SandboxCalls != nil && len(attempts) > 0 {
		matches = matchSandboxCalls(attempts, s.deps.SandboxCalls())
	}
	if v.CanSettle && len(attempts) > 0 {
		// The last attempt is the last resend; a Dealdesk.* code means it
		// was never sent, and its message says why.
		if last := attempts[len(attempts)-1]; strings.HasPrefix(last.ErrorCode, "Dealdesk.") {
			v.ResendBlocked = last.ErrorMessage
		}
	}
	for i, a := range attempts {
		av := attemptView(a)
		if matches != nil && matches[i] != nil {
			av.SandboxCall, av.MatchedBy = sandboxCallView(matches[i].call), matches[i].by
		}
		v.Attempts = append(v.Attempts, av)
	}
	return v, nil
}

// outcomeView is the last send's outcome, with the catalog's explanation
// of its error code in both languages the catalog speaks.
func outcomeView(sent orders.SendOutcome) templates.SendOutcomeView {
	v := templates.SendOutcomeView{
		Outcome: sent.Outcome, Attempts: sent.SendAttempts, RequestID: sent.RequestID,
		ErrorCode: sent.ErrorCode, ErrorMessage: sent.ErrorMessage, DealNames: sent.DealNames,
		BigDealID: sent.BigDealID, InstanceIDs: sent.InstanceIDs, BillingOrderID: sent.BillingOrderID,
		Response: indentJSON(sent.Response), SettlementNote: sent.SettlementNote,
	}
	if sent.SentAt != nil {
		v.SentAt = *sent.SentAt
	}
	if sent.FinishedAt != nil {
		v.FinishedAt = *sent.FinishedAt
	}
	if sent.ErrorCode != "" {
		if info, ok := tcapi.LookupError(sent.ErrorCode); ok {
			v.English, v.Chinese = info.English, info.Chinese
		}
	}
	return v
}

// attemptView is one attempt. The hash of the bytes sent is computed here,
// from the bytes themselves, so the page checks "what was approved is what
// was sent" on every view rather than repeating what the sender concluded.
func attemptView(a orders.SendAttempt) templates.SendAttemptView {
	v := templates.SendAttemptView{
		Attempt: a.Attempt, StartedAt: a.StartedAt, Replica: a.Replica, Outcome: a.Outcome,
		RequestID: a.RequestID, HTTPStatus: a.HTTPStatus, ErrorCode: a.ErrorCode, ErrorMessage: a.ErrorMessage,
		ApprovedSHA256: a.ParamsSHA256, Sent: string(a.Sent), Received: string(a.Received),
	}
	if a.SecretID != "" {
		v.SecretID = tcapi.MaskSecretID(a.SecretID)
	}
	if a.FinishedAt != nil {
		v.FinishedAt = *a.FinishedAt
	}
	if len(a.Sent) > 0 {
		if canon, err := orders.Canonical(a.Sent); err == nil {
			v.SentSHA256 = orders.Hash(canon)
		} else {
			// Not JSON: it cannot match, and the raw hash says so.
			v.SentSHA256 = orders.Hash(a.Sent)
		}
	}
	return v
}

// indentJSON shows a stored answer readably; anything that is not JSON is
// shown as it is.
func indentJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") == nil {
		return buf.String()
	}
	return string(b)
}

// sendForm is what a refused send or settle POST brings back to the page.
type sendForm struct {
	Settle    templates.SettleForm
	FormError string
}

// finishSend answers a send or settle POST like finishAction answers the
// approval moves, but on the order page, where the outcome is shown: back
// with a flash when it worked; the page again with the refusal (409) when
// the order moved on, or with the errors next to their fields (422).
func (s *Server) finishSend(c echo.Context, id int64, err error, flashKind, done string, f sendForm) error {
	if msg, ok := movedOn(c, err); ok {
		f.FormError = msg
		return s.renderOrder(c, http.StatusConflict, id, f)
	}
	if fe := fieldTexts(c, err); fe != nil {
		f.Settle.Errors = fe
		return s.renderOrder(c, http.StatusUnprocessableEntity, id, f)
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, flashKind, done); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, templates.OrderPath(id))
}

// renderOrder shows the order page with a refused form on it.
func (s *Server) renderOrder(c echo.Context, status int, id int64, f sendForm) error {
	o, err := s.reader.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	v, err := s.showView(c, o)
	if err != nil {
		return err
	}
	if len(f.Settle.Errors) > 0 && f.FormError == "" && o.Status != orders.StatusUnknown && o.Status != orders.StatusAwaitingPayment {
		// The settle forms show only on an unknown order or one awaiting
		// payment: elsewhere their messages would be lost, so they go on top.
		f.FormError = tr(c, "send_words.nothing_recorded") + " " + strings.Join(slices.Sorted(maps.Values(f.Settle.Errors)), " ")
	}
	// SendSection shows FormError even when the order's sending is not
	// shown, so a refusal from a stale page still says why.
	v.Send.Settle, v.Send.FormError = f.Settle, f.FormError
	return render(c, status, templates.OrderShow(v))
}

// requireSender refuses, safely, on a console built without a Sender.
func (s *Server) requireSender() error {
	if s.settler == nil {
		return &SafeError{Status: http.StatusServiceUnavailable, Safe: "error.this_console_cannot_settle_orders"}
	}
	return nil
}
