package sending

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// The billed amount (issue 16, part 3). After a purchase succeeds, the
// bill_amounts job (internal/jobs/bill.go) looks its deals up with Billing
// DescribeDealsByCond over the attempts' window and stores what the bill
// says it cost: RealTotalCost (billed), TotalCost (the list price),
// VoucherDecline (vouchers) and the discount between them, in fen. The
// deals are the ones the answer named (deal names, BigDealId, the billing
// OrderId); for an answer that names none (CloudBase), the one group of
// deals that matches the request and no other order holds. A bill that
// differs from the estimate by more than the tolerance is flagged.

// Statuses of order_bills.
const (
	BillFound   = "found"
	BillWaiting = "waiting"
	BillFailed  = "failed"
)

// BillConfig tunes the billed-amount lookups.
type BillConfig struct {
	ReconcileConfig
	// TolerancePercent is how far, in percent of the estimate, the billed
	// amount may be from it before the order is flagged (0: any difference).
	TolerancePercent int
	// Within is how long after succeeding an order is still looked up; 0
	// means 14 days.
	Within time.Duration
	// MaxTries bounds the lookups of one order; 0 means 100.
	MaxTries int
}

func (c BillConfig) withDefaults() BillConfig {
	c.ReconcileConfig = c.ReconcileConfig.withDefaults()
	if c.Within <= 0 {
		c.Within = 14 * 24 * time.Hour
	}
	if c.MaxTries <= 0 {
		c.MaxTries = 100
	}
	return c
}

// billedDeal is one deal an order's bill sums, as kept in order_bills.deals.
type billedDeal struct {
	OrderID        string `json:"OrderId"`
	BigDealID      string `json:"BigDealId,omitempty"`
	Status         int64  `json:"Status"`
	RealTotalCost  int64  `json:"RealTotalCost"`
	TotalCost      int64  `json:"TotalCost"`
	VoucherDecline int64  `json:"VoucherDecline"`
	// What the deal bought or renewed and for how long: where the bill
	// says more than the order, expiries follow it (issue 18).
	ResourceIDs []string `json:"ResourceId,omitempty"`
	TimeSpan    float64  `json:"TimeSpan,omitempty"`
	TimeUnit    string   `json:"TimeUnit,omitempty"`
}

// BillSucceeded looks up the bill of every recently succeeded order whose
// bill is not found yet. One order's failure is kept on it and does not
// stop the others; it returns how many it looked up.
func (s *Sender) BillSucceeded(ctx context.Context, cfg BillConfig, now time.Time) (int, error) {
	cfg = cfg.withDefaults()
	ids, err := db.ListOrdersToBill(ctx, s.pool, now.Add(-cfg.Within), cfg.MaxTries)
	if err != nil {
		return 0, err
	}
	return s.eachOrder(ctx, ids, "bill: lookup failed", func(id int64) error {
		_, err := s.LookUpBilled(ctx, id, cfg, now)
		return err
	})
}

// LookUpBilled looks a succeeded order's deals up on the bill and stores
// what it found, with an audit event when the bill is first found (and
// another when it differs from the estimate beyond the tolerance), in one
// transaction.
func (s *Sender) LookUpBilled(ctx context.Context, orderID int64, cfg BillConfig, now time.Time) (db.OrderBill, error) {
	cfg = cfg.withDefaults()
	o, err := s.orderIn(ctx, orderID, orders.StatusSucceeded, errors.New("sending: only a succeeded order has a bill to look up"))
	if err != nil {
		return db.OrderBill{}, err
	}
	b := s.billOf(ctx, o, cfg.ReconcileConfig, now)
	b.TolerancePercent = cfg.TolerancePercent
	var out db.OrderBill
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		prev, err := db.GetOrderBill(ctx, tx, o.ID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		if b.Status == BillFound {
			est, err := db.GetOrderEstimate(ctx, tx, o.ID)
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
			b.EstimateFen = est.Fen
			b.Differs = BillDiffers(*b.BilledFen, est.Fen, cfg.TolerancePercent)
		}
		if out, err = db.SaveOrderBill(ctx, tx, b); err != nil {
			return err
		}
		if b.Status != BillFound || prev.Status == BillFound {
			return nil
		}
		if err := s.orders.RecordBilledExpiries(ctx, tx, o, billedDeals(b.Deals)); err != nil {
			return err
		}
		details := map[string]any{"billed_fen": *b.BilledFen, "list_fen": deref(b.ListFen), "discount_fen": deref(b.DiscountFen),
			"voucher_fen": deref(b.VoucherFen), "estimate_fen": b.EstimateFen, "differs": b.Differs,
			"tolerance_percent": cfg.TolerancePercent}
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderBilled, Subject: o.Subject(), Details: details}); err != nil {
			return err
		}
		if !b.Differs {
			return nil
		}
		_, err = db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderBillDifferent, Subject: o.Subject(), Details: details})
		return err
	})
	return out, err
}

// BillDiffers reports whether billed is further from the estimate than
// tolerancePercent of it; an order without an estimate always differs
// (nothing said what to expect). Integer arithmetic: fen, never floats.
func BillDiffers(billedFen int64, estimateFen *int64, tolerancePercent int) bool {
	if estimateFen == nil {
		return true
	}
	diff := billedFen - *estimateFen
	if diff < 0 {
		diff = -diff
	}
	// diff/estimate > pct/100, without division.
	return diff*100 > int64(tolerancePercent)*(*estimateFen)
}

// billedDeals reads back the deals a found bill kept, for the expiries.
func billedDeals(kept []byte) []orders.BilledDeal {
	var ds []billedDeal
	if json.Unmarshal(kept, &ds) != nil {
		return nil
	}
	out := make([]orders.BilledDeal, len(ds))
	for i, d := range ds {
		out[i] = orders.BilledDeal{Name: d.OrderID, ResourceIDs: d.ResourceIDs, TimeSpan: d.TimeSpan, TimeUnit: d.TimeUnit}
	}
	return out
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// billOf asks the bill for the order's paid deals and sums them. Every
// failure is a "failed" or "waiting" bill with a reason safe to show.
func (s *Sender) billOf(ctx context.Context, o orders.Order, cfg ReconcileConfig, now time.Time) db.OrderBill {
	b := db.OrderBill{OrderID: o.ID, Status: BillFailed}
	attempts, err := db.ListSendAttempts(ctx, s.pool, o.ID)
	if err != nil {
		b.Reason = "The order's attempts could not be read."
		return b
	}
	first, last, ok := callWindow(attempts)
	if !ok {
		b.Reason = "No attempt of this order reached the point of calling: there is no time window to look in."
		return b
	}
	bill, ok := s.api.(BillAPI)
	if !ok {
		b.Reason = "This console has no Billing client to look the bill up with."
		return b
	}
	creds, err := s.creds.Credentials(ctx, o.AccountID)
	if err != nil {
		b.Reason = "The account's keys could not be used to read the bill."
		return b
	}
	start, end := tcapi.DealTime(first.Add(-cfg.Margin)), tcapi.DealTime(last.Add(cfg.Margin))
	read, ok := fetchDeals(ctx, bill, creds, start, end, []int64{tcapi.DealPaid, tcapi.DealShipping, tcapi.DealShipped}, cfg, nil)
	if !ok {
		b.Status, b.Reason = BillWaiting, "DescribeDealsByCond did not answer with deals; the lookup will be tried again."
		return b
	}
	mine := s.dealsOf(ctx, o, read.deals)
	if len(mine) == 0 {
		b.Status, b.Reason = BillWaiting, "The order's deals are not on the bill yet; the lookup will be tried again."
		return b
	}
	var billed, list, voucher int64
	kept := make([]billedDeal, len(mine))
	for i, d := range mine {
		// TotalCost is a float in the API (fen with decimals); it becomes
		// whole fen here, at the boundary, and is never summed as a float.
		total := int64(math.Round(tcapi.Deref(d.TotalCost)))
		kept[i] = billedDeal{OrderID: tcapi.Deref(d.OrderId), BigDealID: tcapi.Deref(d.BigDealId), Status: tcapi.Deref(d.Status),
			RealTotalCost: tcapi.Deref(d.RealTotalCost), TotalCost: total, VoucherDecline: tcapi.Deref(d.VoucherDecline),
			ResourceIDs: d.ResourceId, TimeSpan: tcapi.Deref(d.TimeSpan), TimeUnit: tcapi.Deref(d.TimeUnit)}
		billed += kept[i].RealTotalCost
		list += total
		voucher += kept[i].VoucherDecline
	}
	discount := list - billed - voucher
	b.Deals, _ = json.Marshal(kept)
	b.Status, b.BilledFen, b.ListFen, b.VoucherFen, b.DiscountFen = BillFound, &billed, &list, &voucher, &discount
	return b
}

// dealsOf picks the order's deals among those found: the ones its answer
// named, else the one group matching its request that no other order holds.
func (s *Sender) dealsOf(ctx context.Context, o orders.Order, found []tcapi.Deal) []tcapi.Deal {
	names := slices.Clone(o.Sent.DealNames)
	if o.Sent.BillingOrderID != "" {
		names = append(names, o.Sent.BillingOrderID)
	}
	var mine []tcapi.Deal
	for _, d := range found {
		id, big := tcapi.Deref(d.OrderId), tcapi.Deref(d.BigDealId)
		if slices.Contains(names, id) || (o.Sent.BigDealID != "" && big == o.Sent.BigDealID) {
			mine = append(mine, d)
		}
	}
	if len(mine) > 0 || len(names) > 0 {
		return mine
	}
	req, err := o.Product.ParseParams(o.Params, o.Region)
	if err != nil {
		return nil
	}
	patterns, ok := tcapi.DealPatterns(req)
	if !ok {
		return nil
	}
	var all []string
	for _, d := range found {
		all = append(all, tcapi.Deref(d.OrderId))
	}
	claimed, err := db.ClaimedDeals(ctx, s.pool, o.ID, all)
	if err != nil {
		return nil
	}
	var l db.BillLookup
	judge(&l, patterns, found, claimed, true)
	if l.Proposal != ProposeBought {
		return nil
	}
	for _, d := range found {
		if slices.Contains(l.DealNames, tcapi.Deref(d.OrderId)) {
			mine = append(mine, d)
		}
	}
	return mine
}
