package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
	"dealdesk/web/templates"
)

// orderConfirmLookup confirms what the latest bill lookup of an unknown
// order proposes (bought, with its deals, or not bought). The domain
// settles it through SettleByHand: approvers and admins only, the order
// still unknown, the lookup still the latest.
func (s *Server) orderConfirmLookup(c echo.Context) error {
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
	lookup, _ := r.id("lookup", "")
	if !r.ok() || lookup == 0 {
		return &SafeError{Status: http.StatusBadRequest, Safe: "error.the_form_did_not_say"}
	}
	o, err := s.settler.ConfirmLookup(c.Request().Context(), s.ordersActor(c), id, lookup)
	done := tr(c, "reconcile_words.not_bought")
	switch {
	case err != nil:
	case o.Status == orders.StatusSucceeded:
		done = tr(c, "reconcile_words.bought", "deals", strings.Join(o.Sent.DealNames, ", "))
	case o.Status == orders.StatusAwaitingPayment:
		done = tr(c, "reconcile_words.awaiting_payment", "deals", strings.Join(o.Sent.DealNames, ", "))
	}
	return s.finishSend(c, id, err, "ok", done, sendForm{})
}

// billLookupView is a lookup's findings as the page shows them.
func billLookupView(c echo.Context, f sending.Findings) templates.BillLookupView {
	v := templates.BillLookupView{
		ID: f.ID, LookedUpAt: f.LookedUpAt, CheckedAt: f.CheckedAt, WindowStart: f.WindowStart, WindowEnd: f.WindowEnd,
		Proposal: f.Proposal, DealNames: f.DealNames, Reason: f.Reason, Calls: f.Calls,
	}
	for _, d := range f.Found {
		dv := templates.BillDealView{
			OrderID: d.OrderID, BigDealID: d.BigDealID, ProductCode: d.ProductCode, SubProductCode: d.SubProductCode,
			Action: d.Action, CreateTime: d.CreateTime, Status: dealStatus(c, d.Status),
			Cost: orders.FormatCNY(d.RealTotalCost), Resources: strings.Join(d.ResourceIDs, ", "),
			Matches: d.Matches,
		}
		var held []string
		for _, o := range d.ClaimedBy {
			held = append(held, tr(c, "reconcile_words.order_n", "id", strconv.FormatInt(o, 10)))
		}
		dv.ClaimedBy = strings.Join(held, ", ")
		v.Deals = append(v.Deals, dv)
	}
	return v
}

// dealStatusKeys name DescribeDealsByCond's status codes (index = code).
var dealStatusKeys = []string{1: "deal_status.unpaid", 2: "deal_status.paid", 3: "deal_status.shipping",
	4: "deal_status.shipped", 5: "deal_status.shipment_failed", 6: "deal_status.refunded", 7: "deal_status.closed",
	8: "deal_status.expired", 9: "deal_status.invalid", 10: "deal_status.product_invalidated",
	11: "deal_status.payment_refused", 12: "deal_status.paying"}

// dealStatus is a deal's status code and its name in the reader's language.
func dealStatus(c echo.Context, n int64) string {
	code := strconv.FormatInt(n, 10)
	if n >= 1 && n < int64(len(dealStatusKeys)) {
		return code + " " + tr(c, dealStatusKeys[n])
	}
	return code
}
