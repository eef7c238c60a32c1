package web

import (
	"fmt"
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
	done := "Recorded from the bill: not bought. The order is failed."
	switch {
	case err != nil:
	case o.Status == orders.StatusSucceeded:
		done = "Recorded from the bill: bought (" + strings.Join(o.Sent.DealNames, ", ") + "). The order is succeeded."
	case o.Status == orders.StatusAwaitingPayment:
		done = "Recorded from the bill: ordered (" + strings.Join(o.Sent.DealNames, ", ") + "), awaiting payment."
	}
	return s.finishSend(c, id, err, "ok", done, sendForm{})
}

// billLookupView is a lookup's findings as the page shows them.
func billLookupView(f sending.Findings) templates.BillLookupView {
	v := templates.BillLookupView{
		ID: f.ID, LookedUpAt: f.LookedUpAt, CheckedAt: f.CheckedAt, WindowStart: f.WindowStart, WindowEnd: f.WindowEnd,
		Proposal: f.Proposal, DealNames: f.DealNames, Reason: f.Reason, Calls: f.Calls,
	}
	for _, d := range f.Found {
		dv := templates.BillDealView{
			OrderID: d.OrderID, BigDealID: d.BigDealID, ProductCode: d.ProductCode, SubProductCode: d.SubProductCode,
			Action: d.Action, CreateTime: d.CreateTime, Status: dealStatus(d.Status),
			Cost: fmt.Sprintf("%d.%02d", d.RealTotalCost/100, d.RealTotalCost%100), Resources: strings.Join(d.ResourceIDs, ", "),
			Matches: d.Matches,
		}
		var held []string
		for _, o := range d.ClaimedBy {
			held = append(held, "order "+strconv.FormatInt(o, 10))
		}
		dv.ClaimedBy = strings.Join(held, ", ")
		v.Deals = append(v.Deals, dv)
	}
	return v
}

// dealStatus names DescribeDealsByCond's status codes.
func dealStatus(n int64) string {
	names := []string{1: "unpaid", 2: "paid", 3: "shipping", 4: "shipped", 5: "shipment failed", 6: "refunded",
		7: "closed", 8: "expired", 9: "invalid", 10: "product invalidated", 11: "payment refused", 12: "paying"}
	if n >= 1 && n < int64(len(names)) {
		return fmt.Sprintf("%d %s", n, names[n])
	}
	return strconv.FormatInt(n, 10)
}
