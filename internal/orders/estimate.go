package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// Estimate is what an order should cost by the price list: line by line,
// with the list's version. Total is nil when any line is unpriced ("no
// estimate"): a partial sum would read as the price when it is not.
type Estimate struct {
	Lines       []EstimateLine `json:"lines"`
	Total       *int64         `json:"-"`
	PriceList   int64          `json:"-"`
	ComputedAt  time.Time      `json:"-"`
	Unavailable bool           `json:"-"` // stored before migration 019: never computed
}

// EstimateLine is one purchase line: what it buys, the monthly price used
// and the amount. Fen is nil when the list does not price the item.
type EstimateLine struct {
	Line       string `json:"line"`
	Item       string `json:"item"`
	Quantity   int64  `json:"quantity"`
	Span       int64  `json:"span"`
	Unit       string `json:"unit"`
	MonthlyFen *int64 `json:"monthly_fen,omitempty"`
	Fen        *int64 `json:"fen,omitempty"`
}

// Priced reports whether the estimate has a total.
func (e Estimate) Priced() bool { return e.Total != nil }

// TotalFen is the total, 0 when there is none (check Priced).
func (e Estimate) TotalFen() int64 {
	if e.Total == nil {
		return 0
	}
	return *e.Total
}

// Same reports whether two estimates come to the same amount (both none
// counts as the same): only a change of amount voids an approval, not a
// new list version that prices the order the same.
func (e Estimate) Same(o Estimate) bool {
	if e.Total == nil || o.Total == nil {
		return e.Total == nil && o.Total == nil
	}
	return *e.Total == *o.Total
}

// String is the total as a person reads it.
func (e Estimate) String() string {
	if e.Total == nil {
		return "no estimate"
	}
	return FormatCNY(*e.Total)
}

// EstimateOf prices an order's parameters by list on day. It mirrors what
// the sandbox charges (internal/tcapi/tcsim/prices.go), so in sandbox mode
// the estimate is what is charged: a month is the unit; a span of days is
// that many thirtieths of a month (at least 1 fen), a year twelve months,
// and a one-off period ("p") one month.
func EstimateOf(p Product, params []byte, list PriceList, day time.Time) (Estimate, error) {
	// Decoded, not validated: a preview prices what is typed so far, and a
	// billing draft has no ClientToken until it is saved.
	a, err := p.Action()
	if err != nil {
		return Estimate{}, err
	}
	req := a.NewRequest()
	if err := tcapi.DecodeParams(params, req); err != nil {
		return Estimate{}, err
	}
	est := Estimate{PriceList: list.Version, ComputedAt: day}
	add := func(line, item string, qty, span int64, unit string, once bool) {
		l := EstimateLine{Line: line, Item: item, Quantity: max(qty, 0), Span: span, Unit: unit}
		if m, ok := list.Monthly(line, item, day); ok && qty >= 0 {
			amount := m
			if !once {
				amount = termFen(m, span, unit)
			}
			amount = mulSat(amount, qty)
			l.MonthlyFen, l.Fen = &m, &amount
		}
		est.Lines = append(est.Lines, l)
	}
	price := p.Spec().price
	if price == nil {
		return Estimate{}, fmt.Errorf("orders: no estimate for %T", req)
	}
	price(req, add)
	var total int64
	for _, l := range est.Lines {
		if l.Fen == nil {
			return est, nil
		}
		total = addSat(total, *l.Fen)
	}
	est.Total = &total
	return est, nil
}

func unitOr(u *string) string {
	if u == nil || *u == "" {
		return "m"
	}
	return *u
}

// wafItem is the WAF product row a goods line buys, by its category, else
// its SubProductCode or Pid, as the sandbox reads it; "" when none.
func wafItem(g tcapi.GoodNews, d tcapi.GoodsDetailNew) string {
	if p, _, ok := tcapi.LookupWAFCategory(tcapi.Deref(g.GoodsCategoryId)); ok {
		return p.Name
	}
	for _, p := range tcapi.WAFProducts() {
		if p.SubProductCode == tcapi.Deref(d.SubProductCode) || p.Pid == tcapi.Deref(d.Pid) {
			return p.Name
		}
	}
	return ""
}

// termFen is a monthly price over span units of unit.
func termFen(monthly, span int64, unit string) int64 {
	span = max(span, 1)
	switch unit {
	case "d":
		return max(mulSat(monthly, span)/30, 1)
	case "y":
		return mulSat(mulSat(monthly, span), 12)
	case "p":
		return monthly
	}
	return mulSat(monthly, span)
}

// mulSat and addSat saturate instead of wrapping, so an absurd quantity
// reads as unaffordable rather than cheap.
func mulSat(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}

func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// Preview prices a draft that is not saved, by the list in force now.
func (s *Service) EstimateDraft(ctx context.Context, d Draft) (Estimate, error) {
	list, err := currentPriceList(ctx, s.pool)
	if err != nil {
		return Estimate{}, err
	}
	return EstimateOf(d.Product, d.Params, list, time.Now())
}

// EstimateFor reads an order's stored estimate: what approvers approve.
func (s *Service) EstimateFor(ctx context.Context, id int64) (Estimate, error) {
	return s.estimateIn(ctx, s.pool, id)
}

// estimateIn is EstimateFor in q (a transaction holding the order's lock).
func (s *Service) estimateIn(ctx context.Context, q db.DBTX, id int64) (Estimate, error) {
	e, err := db.GetOrderEstimate(ctx, q, id)
	if errors.Is(err, db.ErrNotFound) {
		return Estimate{Unavailable: true}, nil
	}
	if err != nil {
		return Estimate{}, err
	}
	return estimateFrom(e)
}

// EstimatesFor reads the stored estimates of several orders (lists, the
// inbox, exports); an order without one is Unavailable.
func (s *Service) EstimatesFor(ctx context.Context, ids []int64) (map[int64]Estimate, error) {
	rows, err := db.ListOrderEstimates(ctx, s.pool, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Estimate, len(ids))
	for _, id := range ids {
		r, ok := rows[id]
		if !ok {
			out[id] = Estimate{Unavailable: true}
			continue
		}
		if out[id], err = estimateFrom(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func estimateFrom(r db.OrderEstimate) (Estimate, error) {
	e := Estimate{Total: r.Fen, PriceList: r.PriceListVersion, ComputedAt: r.ComputedAt}
	if err := json.Unmarshal(r.Lines, &e.Lines); err != nil {
		return Estimate{}, fmt.Errorf("orders: estimate of order %d: %w", r.OrderID, err)
	}
	return e, nil
}

// storeEstimate prices o by list and stores the result in tx.
func storeEstimate(ctx context.Context, tx db.DBTX, o Order, list PriceList, day time.Time) (Estimate, error) {
	e, err := EstimateOf(o.Product, o.Params, list, day)
	if err != nil {
		return Estimate{}, err
	}
	lines, err := json.Marshal(e.Lines)
	if err != nil {
		return Estimate{}, fmt.Errorf("orders: estimate lines: %w", err)
	}
	if err := db.SaveOrderEstimate(ctx, tx, db.OrderEstimate{OrderID: o.ID, Fen: e.Total, PriceListVersion: list.Version, Lines: lines}); err != nil {
		return Estimate{}, err
	}
	return e, nil
}

// estimateOrder prices o by the list in force and stores it, in tx (after
// a compose, an edit or a submit).
func (s *Service) estimateOrder(ctx context.Context, tx db.DBTX, o Order) error {
	list, err := currentPriceList(ctx, tx)
	if err != nil {
		return err
	}
	_, err = storeEstimate(ctx, tx, o, list, time.Now())
	return err
}

// reprice prices o (locked in tx) by list on day. When the amount moved it
// stores the new estimate and appends order.estimate_changed with the old
// and new amounts; an approved order then returns to pending approval, as
// the approvals given were for the old amount (the approvals table pins
// each decision to the estimate, so they no longer count).
func (s *Service) reprice(ctx context.Context, tx db.DBTX, a Actor, o Order, list PriceList, day time.Time) (moved, returned bool, err error) {
	old, err := db.GetOrderEstimate(ctx, tx, o.ID)
	var before Estimate
	switch {
	case errors.Is(err, db.ErrNotFound):
		before = Estimate{Unavailable: true}
	case err != nil:
		return false, false, err
	default:
		if before, err = estimateFrom(old); err != nil {
			return false, false, err
		}
	}
	after, err := storeEstimate(ctx, tx, o, list, day)
	if err != nil {
		return false, false, err
	}
	if !before.Unavailable && before.Same(after) {
		return false, false, nil
	}
	details := map[string]any{
		"old_estimate": before.String(), "new_estimate": after.String(), "price_list_version": list.Version,
		"old_estimate_fen": before.Total, "new_estimate_fen": after.Total,
	}
	if o.Status != StatusApproved {
		return true, false, s.audit(ctx, tx, a, o, db.ActionOrderEstimateChanged, details)
	}
	details["returned_for_approval"] = true
	if _, err := s.Transition(ctx, tx, a, o, StatusPendingApproval, db.ActionOrderEstimateChanged, details); err != nil {
		return false, false, err
	}
	return true, true, nil
}

// RecheckEstimate is the sender's last look before a call: it prices the
// approved order o (locked in tx) by the list in force now. When the amount
// differs from the one approved, the order returns for approval (see
// reprice) and ok is false: nothing may be sent for a price nobody
// approved.
//
// The list changes seldom and orders are sent often: when the stored
// estimate is still current (same list version, no entry of it taking
// effect since), nothing can have moved and the order is not priced again
// (one read, no write).
func (s *Service) RecheckEstimate(ctx context.Context, tx db.DBTX, a Actor, o Order) (ok bool, err error) {
	if current, err := db.EstimateIsCurrent(ctx, tx, o.ID, dateOf(time.Now())); err != nil || current {
		return current, err
	}
	list, err := currentPriceList(ctx, tx)
	if err != nil {
		return false, err
	}
	_, returned, err := s.reprice(ctx, tx, a, o, list, time.Now())
	return !returned, err
}

// checkEstimateSeen refuses an approval of an amount the order no longer
// has, naming the old and the new.
func (s *Service) checkEstimateSeen(ctx context.Context, tx db.DBTX, id int64, seen string) error {
	var now Estimate
	e, err := db.GetOrderEstimate(ctx, tx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		now = Estimate{Unavailable: true}
	case err != nil:
		return err
	default:
		if now, err = estimateFrom(e); err != nil {
			return err
		}
	}
	if now.String() == seen {
		return nil
	}
	return fault.New(fault.Conflict, "order.estimate.changed", "seen", seen, "now", now.String())
}

// sameFen compares two amounts that may be "no estimate" (nil).
func sameFen(a, b *int64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// priceLine adds one priced line to an estimate: line and item name the
// price list's entry, qty and span × unit its quantity and term; once
// charges one month whatever the term. A negative qty is a quantity that
// cannot be read: the line stays unpriced.
type priceLine func(line, item string, qty, span int64, unit string, once bool)

// The products' price functions (Spec.price): which price list entries
// an order's request buys.

func priceWAF(req tcapi.Request, add priceLine) {
	for _, g := range req.(*tcapi.GenerateDealsAndPayNewRequest).Goods {
		d := tcapi.GoodsDetailNew{}
		if g.GoodsDetail != nil {
			d = *g.GoodsDetail
		}
		add(PriceLineWAF, wafItem(g, d), tcapi.Deref(g.GoodsNum), tcapi.Deref(d.TimeSpan), tcapi.Deref(d.TimeUnit), false)
	}
}

// priceBilling prices the instances by their ProductCode, and each
// Parameter member that buys something (billing_dimensions.go) per unit
// per instance.
func priceBilling(req tcapi.Request, add priceLine) {
	r := req.(*tcapi.CreateInstanceRequest)
	code, qty := tcapi.Deref(r.ProductCode), max(tcapi.Deref(r.Quantity), 1)
	span, unit := tcapi.Deref(r.Period), unitOr(r.PeriodUnit)
	add(PriceLineBilling, code, qty, span, unit, false)
	for _, d := range parameterUnits(tcapi.Deref(r.Parameter)) {
		units := int64(-1)
		if d.ok {
			units = mulSat(qty, d.units)
		}
		add(PriceLineBilling, DimensionItem(code, d.member), units, span, unit, false)
	}
}

func priceBillingRenew(req tcapi.Request, add priceLine) {
	r := req.(*tcapi.RenewInstanceRequest)
	add(PriceLineBilling, tcapi.Deref(r.ProductCode), 1, tcapi.Deref(r.Period), unitOr(r.PeriodUnit), false)
}

func priceTCB(req tcapi.Request, add priceLine) {
	r := req.(*tcapi.CreateBillDealRequest)
	if tcapi.Deref(r.DealType) == "modify" {
		// A package change is charged one month of the new package.
		add(PriceLineTCB, tcapi.Deref(r.ModifyPackageId), 1, 1, "m", true)
	} else {
		add(PriceLineTCB, tcapi.Deref(r.PackageId), 1, tcapi.Deref(r.TimeSpan), tcapi.Deref(r.TimeUnit), false)
	}
}
