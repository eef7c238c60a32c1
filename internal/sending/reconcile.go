package sending

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Reconciliation from the bill. An order whose outcome is unknown may or
// may not have bought; Billing DescribeDealsByCond lists the account's
// deals, including those of calls whose answer was lost. LookUpBill asks
// for the attempt's time window (Beijing time, with a margin for clocks),
// every status (the service returns only shipped deals without one),
// page by page, keeps what it found as evidence (bill_lookups, migration
// 014) and proposes: one unambiguous group of deals that matches what the
// order asked for → bought; nothing after the quiet period → not bought;
// two candidates, a deal another order holds, or a deal that is not paid →
// no proposal, only evidence. A person confirms a proposal through
// SettleByHand (ConfirmLookup); nothing here settles an order.

// Proposals of a lookup (bill_lookups.proposal).
const (
	ProposeBought    = "bought"
	ProposeNotBought = "not_bought"
	ProposeAmbiguous = "ambiguous"
	ProposeWaiting   = "waiting"
	ProposeFailed    = "failed"
	ProposeNone      = "none"
)

// BillAPI is the part of tcapi.Client the lookups use.
type BillAPI interface {
	DescribeDealsByCond(ctx context.Context, creds tcapi.Credentials, req *tcapi.DescribeDealsByCondRequest) (*tcapi.DescribeDealsByCondResponse, tcapi.Result, error)
}

// ReconcileConfig tunes the lookups.
type ReconcileConfig struct {
	// Quiet is how long after the last attempt a lookup that finds no deal
	// proposes "not bought". 0 means 30 minutes.
	Quiet time.Duration
	// Margin widens the attempt's window on both sides, for the distance
	// between our clock and the bill's. 0 means two minutes.
	Margin time.Duration
	// PageSize is DescribeDealsByCond's Limit; 0 means 100.
	PageSize int64
	// MaxPages bounds the pages read per status; 0 means 20.
	MaxPages int64
}

func (c ReconcileConfig) withDefaults() ReconcileConfig {
	if c.Quiet <= 0 {
		c.Quiet = 30 * time.Minute
	}
	if c.Margin <= 0 {
		c.Margin = 2 * time.Minute
	}
	if c.PageSize <= 0 {
		c.PageSize = 100
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 20
	}
	return c
}

// FoundDeal is one deal a lookup found, as kept in its evidence.
type FoundDeal struct {
	OrderID        string   `json:"OrderId"`
	BigDealID      string   `json:"BigDealId,omitempty"`
	Status         int64    `json:"Status"`
	ProductCode    string   `json:"ProductCode,omitempty"`
	SubProductCode string   `json:"SubProductCode,omitempty"`
	Action         string   `json:"Action,omitempty"`
	CreateTime     string   `json:"CreateTime,omitempty"`
	RealTotalCost  int64    `json:"RealTotalCost"`
	ResourceIDs    []string `json:"ResourceId,omitempty"`
	// Matches is true when the deal belongs to a group that matches the order.
	Matches bool `json:"Matches"`
	// ClaimedBy lists other orders that hold the deal.
	ClaimedBy []int64 `json:"ClaimedBy,omitempty"`
}

// ReconcileUnknown looks every unknown order up once, now. It returns how
// many it looked up; one order's failure is recorded on it and does not
// stop the others.
func (s *Sender) ReconcileUnknown(ctx context.Context, cfg ReconcileConfig, now time.Time) (int, error) {
	unknown, err := s.orders.ListByStatus(ctx, orders.StatusUnknown, 10_000)
	if err != nil {
		return 0, err
	}
	return s.eachOrder(ctx, orderIDs(unknown), "reconcile: bill lookup failed", func(id int64) error {
		_, err := s.LookUpBill(ctx, id, cfg, now)
		return err
	})
}

// LookUpBill looks one unknown order up and records what it found (a new
// lookup with its audit event when the findings changed; otherwise the
// latest lookup's checked_at moves).
func (s *Sender) LookUpBill(ctx context.Context, orderID int64, cfg ReconcileConfig, now time.Time) (db.BillLookup, error) {
	cfg = cfg.withDefaults()
	o, err := s.orderIn(ctx, orderID, orders.StatusUnknown, fault.New(fault.Conflict, "send.lookup.not_unknown"))
	if err != nil {
		return db.BillLookup{}, err
	}
	l := s.lookUp(ctx, o, cfg, now)
	var out db.BillLookup
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := s.orders.Lock(ctx, tx, o.ID); err != nil {
			return err
		}
		prev, err := db.LatestBillLookup(ctx, tx, o.ID)
		switch {
		case err == nil && sameFindings(prev, l):
			out = prev
			return db.TouchBillLookup(ctx, tx, prev.ID)
		case err != nil && !errors.Is(err, db.ErrNotFound):
			return err
		}
		out, err = db.InsertBillLookup(ctx, tx, l)
		if err != nil {
			return err
		}
		_, err = db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionOrderBillLookedUp, Subject: o.Subject(),
			Details: map[string]any{"lookup_id": out.ID, "proposal": out.Proposal, "deal_names": out.DealNames,
				"window_start": out.WindowStart, "window_end": out.WindowEnd, "reason": out.Reason}})
		if err != nil {
			return err
		}
		// Only what a person can confirm is worth telling, and only when
		// the findings change (the same findings only touch the lookup).
		if out.Proposal != ProposeBought && out.Proposal != ProposeNotBought {
			return nil
		}
		return s.orders.NotifyProposal(ctx, tx, s.notifier, o, out.Proposal, out.DealNames, out.Reason)
	})
	return out, err
}

func sameFindings(a, b db.BillLookup) bool {
	return a.Proposal == b.Proposal && slices.Equal(a.DealNames, b.DealNames) && a.Reason == b.Reason &&
		a.WindowStart == b.WindowStart && a.WindowEnd == b.WindowEnd && jsonEqual(a.Deals, b.Deals)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// lookUp asks the bill and judges; every failure becomes a "failed"
// lookup with a reason safe to show.
func (s *Sender) lookUp(ctx context.Context, o orders.Order, cfg ReconcileConfig, now time.Time) db.BillLookup {
	l := db.BillLookup{OrderID: o.ID, Proposal: ProposeFailed}
	attempts, err := db.ListSendAttempts(ctx, s.pool, o.ID)
	if err != nil {
		l.Reason = "The order's attempts could not be read."
		return l
	}
	first, last, ok := callWindow(attempts)
	if !ok {
		l.Reason = "No attempt of this order reached the point of calling: there is no time window to look in."
		return l
	}
	start, end := first.Add(-cfg.Margin), last.Add(cfg.Margin)
	l.WindowStart, l.WindowEnd = tcapi.DealTime(start), tcapi.DealTime(end)

	req, err := o.Product.ParseParams(o.Params, o.Region)
	if err != nil {
		l.Reason = "The order's stored parameters no longer parse, so what it asked for is not known."
		return l
	}
	patterns, ok := tcapi.DealPatterns(req)
	if !ok {
		l.Proposal, l.Reason = ProposeNone, "This kind of order creates no deal to look for."
		return l
	}
	bill, ok := s.api.(BillAPI)
	if !ok {
		l.Reason = "This console has no Billing client to look the bill up with."
		return l
	}
	creds, err := s.creds.Credentials(ctx, o.AccountID)
	if err != nil {
		if refusal, refused := fault.As(err); refused {
			l.Reason = "The account's keys cannot be used: " + refusal.Msg.String()
		} else {
			l.Reason = "The account's keys could not be opened."
		}
		return l
	}
	codes := map[string]bool{}
	for _, p := range patterns {
		codes[p.ProductCode] = true
	}
	var statuses []int64
	for status := int64(tcapi.DealUnpaid); status <= tcapi.DealPaying; status++ {
		statuses = append(statuses, status)
	}
	read, ok := fetchDeals(ctx, bill, creds, l.WindowStart, l.WindowEnd, statuses, cfg,
		func(d tcapi.Deal) bool { return codes[tcapi.Deref(d.ProductCode)] })
	l.Calls += read.calls
	if !ok {
		l.Reason = "DescribeDealsByCond did not answer with deals"
		if read.result.ErrorCode != "" {
			l.Reason += " (" + read.result.ErrorCode + ")"
		}
		l.Reason += "; the lookup will be tried again."
		return l
	}
	found := read.deals
	var names []string
	for _, d := range found {
		names = append(names, tcapi.Deref(d.OrderId))
	}
	claimed, err := db.ClaimedDeals(ctx, s.pool, o.ID, names)
	if err != nil {
		l.Reason = "Which deals other orders hold could not be read."
		return l
	}
	judge(&l, patterns, found, claimed, now.Sub(last) >= cfg.Quiet)
	if o.Product.Spec().UsesClientToken {
		// Its resend with the same token settles it, by the service's own
		// word; the bill is shown as evidence, never proposed.
		l.Proposal, l.DealNames, l.BigDealID = ProposeNone, nil, ""
		l.Reason = "Evidence only: this order settles itself by resending with its ClientToken. " + l.Reason
	}
	return l
}

// callWindow is from the first attempt that may have been sent to the last
// moment any of them was out.
func callWindow(attempts []db.SendAttempt) (first, last time.Time, ok bool) {
	for _, a := range attempts {
		if a.CallingAt == nil {
			continue
		}
		end := *a.CallingAt
		if a.FinishedAt != nil && a.FinishedAt.After(end) {
			end = *a.FinishedAt
		}
		if !ok || a.CallingAt.Before(first) {
			first = *a.CallingAt
		}
		if !ok || end.After(last) {
			last = end
		}
		ok = true
	}
	return first, last, ok
}

// judge groups the deals found by BigDealId (one call's deals), finds the
// groups that match the order's patterns one to one, and proposes.
func judge(l *db.BillLookup, patterns []tcapi.DealPattern, found []tcapi.Deal, claimed map[string][]int64, quiet bool) {
	groups := map[string][]int{}
	var keys []string
	for i, d := range found {
		k := tcapi.Deref(d.BigDealId)
		if k == "" {
			k = tcapi.Deref(d.OrderId)
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	evidence := make([]FoundDeal, len(found))
	for i, d := range found {
		evidence[i] = FoundDeal{
			OrderID: tcapi.Deref(d.OrderId), BigDealID: tcapi.Deref(d.BigDealId), Status: tcapi.Deref(d.Status),
			ProductCode: tcapi.Deref(d.ProductCode), SubProductCode: tcapi.Deref(d.SubProductCode), Action: tcapi.Deref(d.Action),
			CreateTime: tcapi.Deref(d.CreateTime), RealTotalCost: tcapi.Deref(d.RealTotalCost), ResourceIDs: d.ResourceId,
			ClaimedBy: claimed[tcapi.Deref(d.OrderId)],
		}
	}
	var candidates []string
	for _, k := range keys {
		if matchGroup(patterns, found, groups[k]) {
			candidates = append(candidates, k)
			for _, i := range groups[k] {
				evidence[i].Matches = true
			}
		}
	}
	l.Deals, _ = json.Marshal(evidence)
	switch {
	case len(candidates) == 0 && quiet:
		l.Proposal = ProposeNotBought
		l.Reason = fmt.Sprintf("No deal matching this order was found in any status (%d deals of the product in the window), and the quiet period has passed.", len(found))
	case len(candidates) == 0:
		l.Proposal = ProposeWaiting
		l.Reason = "No matching deal yet; the bill may still be catching up. The lookup will be repeated."
	case len(candidates) > 1:
		l.Proposal = ProposeAmbiguous
		l.Reason = fmt.Sprintf("%d groups of deals match this order (%s): a person must tell which, if any, is its.", len(candidates), strings.Join(candidates, ", "))
	default:
		group := groups[candidates[0]]
		var names, held, unpaid []string
		for _, i := range group {
			e := evidence[i]
			names = append(names, e.OrderID)
			if len(e.ClaimedBy) > 0 {
				held = append(held, fmt.Sprintf("%s (order %v)", e.OrderID, e.ClaimedBy))
			}
			if e.Status != tcapi.DealPaid && e.Status != tcapi.DealShipping && e.Status != tcapi.DealShipped {
				unpaid = append(unpaid, fmt.Sprintf("%s (status %d)", e.OrderID, e.Status))
			}
		}
		switch {
		case len(held) > 0:
			l.Proposal = ProposeAmbiguous
			l.Reason = "The only matching deal is already held by another order: " + strings.Join(held, ", ") + "."
		case len(unpaid) > 0:
			l.Proposal = ProposeAmbiguous
			l.Reason = "The matching deal is not paid or not delivered: " + strings.Join(unpaid, ", ") + "."
		default:
			l.Proposal, l.DealNames, l.BigDealID = ProposeBought, names, candidates[0]
			l.Reason = "Exactly one group of deals matches what this order asked for: " + strings.Join(names, ", ") + "."
		}
	}
}

// matchGroup reports whether the deals at idx match the patterns one to one.
func matchGroup(patterns []tcapi.DealPattern, found []tcapi.Deal, idx []int) bool {
	if len(idx) != len(patterns) {
		return false
	}
	used := make([]bool, len(idx))
	for _, p := range patterns {
		ok := false
		for j, i := range idx {
			if !used[j] && p.Matches(found[i]) {
				used[j], ok = true, true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// ConfirmLookup settles an unknown order as its latest lookup proposes,
// through SettleByHand (its role check, its audit event). The lookup must
// be the order's latest and propose bought or not bought.
func (s *Sender) ConfirmLookup(ctx context.Context, a orders.Actor, orderID, lookupID int64) (orders.Order, error) {
	if !orders.MaySettle(a) {
		return orders.Order{}, fault.New(fault.Refused, "send.settle.who")
	}
	l, err := db.LatestBillLookup(ctx, s.pool, orderID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && l.ID != lookupID) {
		return orders.Order{}, fault.New(fault.Stale, "send.lookup.not_latest")
	}
	if err != nil {
		return orders.Order{}, err
	}
	st := Settlement{LookupID: l.ID}
	switch l.Proposal {
	case ProposeBought:
		st.Succeeded, st.DealNames = true, l.DealNames
		st.Note = fmt.Sprintf("Confirmed the bill lookup #%d of %s: bought, deals %s. %s", l.ID, l.LookedUpAt.UTC().Format(time.RFC3339), strings.Join(l.DealNames, ", "), l.Reason)
	case ProposeNotBought:
		st.Note = fmt.Sprintf("Confirmed the bill lookup #%d of %s: not bought. %s", l.ID, l.LookedUpAt.UTC().Format(time.RFC3339), l.Reason)
	default:
		return orders.Order{}, fault.New(fault.Conflict, "send.lookup.nothing_to_confirm")
	}
	if _, err := s.SettleByHand(ctx, a, orderID, st); err != nil {
		return orders.Order{}, err
	}
	// Read back: the settlement's outcome (with the deal names) is recorded
	// after the transition that SettleByHand returns.
	return s.orders.Get(ctx, orderID)
}

// Findings is an order's latest bill lookup with its evidence read back.
type Findings struct {
	db.BillLookup
	Found []FoundDeal
}

// LatestFindings is the order's latest bill lookup; ok is false when the
// bill has not been looked up for it.
func (s *Sender) LatestFindings(ctx context.Context, orderID int64) (f Findings, ok bool, err error) {
	l, err := db.LatestBillLookup(ctx, s.pool, orderID)
	if errors.Is(err, db.ErrNotFound) {
		return f, false, nil
	}
	if err != nil {
		return f, false, err
	}
	f.BillLookup = l
	if err := json.Unmarshal(l.Deals, &f.Found); err != nil {
		return f, false, fmt.Errorf("sending: the evidence of bill lookup %d does not read: %w", l.ID, err)
	}
	return f, true, nil
}
