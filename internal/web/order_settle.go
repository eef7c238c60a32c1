package web

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
	"dealdesk/web/templates"
)

// orderSettler settles an order whose outcome is unknown: a resend with
// its ClientToken, what a person found, or a confirmed lookup; and reads
// the reconciliation's latest findings. *sending.Sender is one; nil
// without a sender.
type orderSettler interface {
	ResendWithToken(ctx context.Context, a orders.Actor, orderID int64) (orders.Order, error)
	SettleByHand(ctx context.Context, a orders.Actor, orderID int64, st sending.Settlement) (orders.Order, error)
	ConfirmLookup(ctx context.Context, a orders.Actor, orderID, lookupID int64) (orders.Order, error)
	LatestFindings(ctx context.Context, orderID int64) (sending.Findings, bool, error)
}

// orderSettle records what a person found for an unknown order (bought or
// not, the deal names they found) or for one awaiting payment (paid or
// abandoned), with a note saying how they know. Nothing is sent. The domain
// refuses anyone but approvers and admins, a missing note, and an order
// that is in neither state any more.
func (s *Server) orderSettle(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	if err := s.requireSender(); err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	f := sendForm{Settle: templates.SettleForm{
		Result:    r.choice("result", "field.choose_bought", "succeeded", "failed"),
		DealNames: r.text("deal_names", lines(maxDealNames)),
		Note:      r.text("note", lines(maxSettleNote)),
	}}
	// No default: "not bought" must be chosen as deliberately as "bought",
	// since either answer ends the warning.
	if f.Settle.Result == "" {
		r.fail("result", "field.choose_bought")
	}
	if !r.ok() {
		return s.finishSend(c, id, inputFields(r.errs), "", "", f)
	}
	st := sending.Settlement{Succeeded: f.Settle.Result == "succeeded", Note: f.Settle.Note, DealNames: splitList(f.Settle.DealNames)}
	o, err := s.settler.SettleByHand(c.Request().Context(), s.ordersActor(c), id, st)
	var done string
	switch o.Status {
	case orders.StatusAwaitingPayment:
		done = "Recorded: ordered. CloudBase created the order unpaid; it now awaits payment, with your note."
	case orders.StatusSucceeded:
		done = "Recorded: bought. The order is succeeded, with your note."
	default:
		done = "Recorded: not bought. The order is failed, with your note."
	}
	return s.finishSend(c, id, err, "ok", done, f)
}

// splitList reads names typed one per line (commas and spaces also
// separate them).
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == '\t' })
}
