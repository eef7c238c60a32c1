package orders

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
)

// BilledDeal is what the bill (Billing DescribeDealsByCond) says of one of
// an order's deals that bears on expiries: the resources it bought or
// renewed and for how long.
type BilledDeal struct {
	// Name is the deal's OrderId: for WAF, one per Goods line, in order.
	Name        string
	ResourceIDs []string
	// TimeSpan and TimeUnit are the deal's term (the API's TimeSpan is a
	// float; a term is whole units).
	TimeSpan float64
	TimeUnit string
}

func (d BilledDeal) term() (y, m, dd int, ok bool) {
	if d.TimeSpan != math.Trunc(d.TimeSpan) {
		return 0, 0, 0, false
	}
	return span(int64(d.TimeSpan), d.TimeUnit)
}

// RecordBilledExpiries records, in the transaction that stores o's bill,
// what the bill says about expiries where it says more than the order: an
// instance the purchase's answer did not name (a CloudBase environment,
// each instance of a multi-line WAF purchase, a Billing purchase whose
// instances were delivered late) gets its expiry from the order's success
// by the deal's term; and where the deal's term is not the order's, the
// expiry this order recorded follows the bill (from the same start).
// Instances a later order has moved since are left alone: that bill is
// older news. Each change is an instance_expiry.recorded event marked
// from_bill.
func (s *Service) RecordBilledExpiries(ctx context.Context, tx db.DBTX, o Order, deals []BilledDeal) error {
	if o.Status != StatusSucceeded {
		return nil
	}
	for _, t := range oncePerTarget(billedTerms(o, deals)) {
		cur, known, err := db.LockInstanceExpiry(ctx, tx, o.AccountID, t.target)
		if err != nil {
			return err
		}
		rec := db.InstanceExpiry{AccountID: o.AccountID, Product: string(o.Product), Target: t.target,
			BoughtByOrderID: o.ID, LastOrderID: o.ID, AutoRenew: t.autoRenew}
		switch {
		case known && cur.LastOrderID == o.ID && !cur.TermStart.IsZero():
			rec.BoughtByOrderID, rec.AutoRenew, rec.TermStart = cur.BoughtByOrderID, cur.AutoRenew, cur.TermStart
		case !known && !t.renewal:
			// A renewal of an instance the console never knew has no
			// expiry to carry on from; a purchase counts from its success.
			rec.TermStart = o.StatusChangedAt
		default:
			continue
		}
		rec.ExpiresAt = t.from(rec.TermStart)
		if known && rec.ExpiresAt.Equal(cur.ExpiresAt) {
			continue
		}
		saved, err := db.SaveInstanceExpiry(ctx, tx, rec)
		if err != nil {
			return err
		}
		details := map[string]any{"order_id": o.ID, "product": string(o.Product), "account_id": o.AccountID,
			"instance": t.target, "expires_at": saved.ExpiresAt.UTC().Format(time.RFC3339),
			"auto_renew": saved.AutoRenew, "renewal": t.renewal, "from_bill": true}
		if known {
			details["was"] = cur.ExpiresAt.UTC().Format(time.RFC3339)
		}
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionInstanceExpiryRecorded,
			Subject: "instance_expiry:" + strconv.FormatInt(saved.ID, 10), Details: details}); err != nil {
			return err
		}
	}
	return nil
}

// billedTerms reads, from an order and its billed deals, each thing the
// order bought or renewed with the term its deal states (its Spec's
// billedTerms). Lines the order's own terms leave out (add-ons, changes,
// packs without an end) stay out.
func billedTerms(o Order, deals []BilledDeal) []expiryTerm {
	if read := o.Product.Spec().billedTerms; read != nil {
		return read(o, deals)
	}
	return nil
}

// billedTerm is one thing's term as its deal states it; ok is false when
// the deal states none or names no thing.
func billedTerm(target string, d BilledDeal, auto, renewal bool) (expiryTerm, bool) {
	y, m, dd, ok := d.term()
	if target == "" || !ok {
		return expiryTerm{}, false
	}
	return expiryTerm{target: target, years: y, months: m, days: dd, autoRenew: auto, renewal: renewal}, true
}

// billingBilledTerms: a CreateInstance bought each instance its deals name.
func billingBilledTerms(o Order, deals []BilledDeal) []expiryTerm {
	var req tcapi.CreateInstanceRequest
	if json.Unmarshal(o.Params, &req) != nil {
		return nil
	}
	auto := tcapi.Deref(req.RenewFlag) == "NOTIFY_AND_AUTO_RENEW"
	var out []expiryTerm
	for _, d := range deals {
		for _, id := range d.ResourceIDs {
			if t, ok := billedTerm(id, d, auto, false); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// billingRenewBilledTerms: a RenewInstance renewed its one instance.
func billingRenewBilledTerms(o Order, deals []BilledDeal) []expiryTerm {
	var req tcapi.RenewInstanceRequest
	if json.Unmarshal(o.Params, &req) != nil || len(deals) != 1 {
		return nil
	}
	if t, ok := billedTerm(tcapi.Deref(req.InstanceId), deals[0], false, true); ok {
		return []expiryTerm{t}
	}
	return nil
}

// tcbBilledTerms: a CloudBase plan bought or renewed one environment.
func tcbBilledTerms(o Order, deals []BilledDeal) []expiryTerm {
	var req tcapi.CreateBillDealRequest
	if json.Unmarshal(o.Params, &req) != nil || tcapi.Deref(req.ProductType) != "tcb-baas" || len(deals) != 1 {
		return nil
	}
	d := deals[0]
	var t expiryTerm
	ok := false
	switch tcapi.Deref(req.DealType) {
	case "renew":
		t, ok = billedTerm(tcapi.Deref(req.ResourceId), d, false, true)
	case "purchase":
		if len(d.ResourceIDs) == 1 {
			t, ok = billedTerm(d.ResourceIDs[0], d, false, false)
		}
	}
	if !ok {
		return nil
	}
	return []expiryTerm{t}
}

// wafBilledTerms pairs each renewable line with its deal: the answer's
// DealNames are one per Goods line, in order. The line's instance is the
// one it names, else the one its deal names.
func wafBilledTerms(o Order, deals []BilledDeal) []expiryTerm {
	var req tcapi.GenerateDealsAndPayNewRequest
	if json.Unmarshal(o.Params, &req) != nil || len(o.Sent.DealNames) != len(req.Goods) {
		return nil
	}
	byName := make(map[string]BilledDeal, len(deals))
	for _, d := range deals {
		byName[d.Name] = d
	}
	var out []expiryTerm
	for i := range req.Goods {
		kind, ok := wafExpiryLine(&req.Goods[i])
		d, billed := byName[o.Sent.DealNames[i]]
		if !ok || !billed {
			continue
		}
		detail := req.Goods[i].GoodsDetail
		id := tcapi.Deref(detail.InstanceId)
		if id == "" && len(d.ResourceIDs) == 1 {
			id = d.ResourceIDs[0]
		}
		y, m, dd, ok := d.term()
		if id == "" || !ok {
			continue
		}
		out = append(out, expiryTerm{target: id, years: y, months: m, days: dd,
			autoRenew: tcapi.Deref(detail.AutoRenewFlag) == 1, renewal: kind == tcapi.WAFRenew})
	}
	return out
}
