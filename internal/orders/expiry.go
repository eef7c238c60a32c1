package orders

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
)

// WithClock returns a copy of the service whose expiries count from now
// (tests set the clock; the console uses time.Now).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// expiryTerm is one thing a succeeded order bought or renewed, and for how long.
type expiryTerm struct {
	target              string
	years, months, days int
	autoRenew           bool
	// renewal moves the thing's expiry on by the term; a purchase starts
	// it from now.
	renewal bool
}

func (t expiryTerm) from(start time.Time) time.Time { return start.AddDate(t.years, t.months, t.days) }

// span turns a length in d, m or y into a term's; ok is false for a unit
// that has no end (CloudBase's p, once) or none at all.
func span(n int64, unit string) (y, m, d int, ok bool) {
	if n <= 0 || n > 1200 {
		return 0, 0, 0, false
	}
	switch unit {
	case "d":
		return 0, 0, int(n), true
	case "m":
		return 0, int(n), 0, true
	case "y":
		return int(n), 0, 0, true
	}
	return 0, 0, 0, false
}

// termsOf reads what a succeeded order bought or renewed from its
// parameters and the instance ids its answer named. Lines it cannot place
// (an add-on, a change of configuration, a pack without an end, a purchase
// whose answer named no instance) are left out: the console knows only
// expiries it can tell.
func termsOf(o Order, bought []string) []expiryTerm {
	if read := o.Product.Spec().terms; read != nil {
		return read(o.Params, bought)
	}
	return nil
}

// billingTerms: a CreateInstance bought one term of each instance its
// answer named.
func billingTerms(params []byte, bought []string) []expiryTerm {
	var req tcapi.CreateInstanceRequest
	if json.Unmarshal(params, &req) != nil {
		return nil
	}
	y, m, d, ok := span(periodOr1(req.Period), unitOrMonth(req.PeriodUnit))
	if !ok {
		return nil
	}
	auto := tcapi.Deref(req.RenewFlag) == "NOTIFY_AND_AUTO_RENEW"
	out := make([]expiryTerm, 0, len(bought))
	for _, id := range bought {
		out = append(out, expiryTerm{target: id, years: y, months: m, days: d, autoRenew: auto})
	}
	return out
}

// billingRenewTerms: a RenewInstance added one term to its instance.
func billingRenewTerms(params []byte, _ []string) []expiryTerm {
	var req tcapi.RenewInstanceRequest
	if json.Unmarshal(params, &req) != nil || tcapi.Deref(req.InstanceId) == "" {
		return nil
	}
	y, m, d, ok := span(periodOr1(req.Period), unitOrMonth(req.PeriodUnit))
	if !ok {
		return nil
	}
	return []expiryTerm{{target: tcapi.Deref(req.InstanceId), years: y, months: m, days: d, renewal: true}}
}

func periodOr1(p *int64) int64 {
	if p == nil {
		return 1
	}
	return *p
}

func unitOrMonth(u *string) string {
	if tcapi.Deref(u) == "" {
		return "m"
	}
	return *u
}

func wafTerms(params []byte, bought []string) []expiryTerm {
	var req tcapi.GenerateDealsAndPayNewRequest
	if json.Unmarshal(params, &req) != nil {
		return nil
	}
	var out []expiryTerm
	for i := range req.Goods {
		g := &req.Goods[i]
		if g.GoodsDetail == nil {
			continue
		}
		p, ok := wafLineProduct(g)
		if !ok || p.AddOn() {
			continue
		}
		kind := tcapi.WAFNew
		if g.GoodsCategoryId != nil {
			_, kind, _ = tcapi.LookupWAFCategory(*g.GoodsCategoryId)
		}
		if kind != tcapi.WAFNew && kind != tcapi.WAFRenew {
			continue
		}
		d := g.GoodsDetail
		id := tcapi.Deref(d.InstanceId)
		// As renewWAF: the answer's one instance is the line's only when
		// there was one line.
		if id == "" && len(req.Goods) == 1 && len(bought) == 1 {
			id = bought[0]
		}
		y, m, dd, ok := span(tcapi.Deref(d.TimeSpan), tcapi.Deref(d.TimeUnit))
		if id == "" || !ok {
			continue
		}
		out = append(out, expiryTerm{target: id, years: y, months: m, days: dd,
			autoRenew: tcapi.Deref(d.AutoRenewFlag) == 1, renewal: kind == tcapi.WAFRenew})
	}
	return out
}

func tcbTerms(params []byte, bought []string) []expiryTerm {
	var req tcapi.CreateBillDealRequest
	if json.Unmarshal(params, &req) != nil || tcapi.Deref(req.ProductType) != "tcb-baas" {
		return nil
	}
	y, m, d, ok := span(tcapi.Deref(req.TimeSpan), tcapi.Deref(req.TimeUnit))
	if !ok {
		return nil
	}
	t := expiryTerm{years: y, months: m, days: d}
	switch tcapi.Deref(req.DealType) {
	case "renew":
		t.target, t.renewal = tcapi.Deref(req.ResourceId), true
	case "purchase":
		// A new environment is named by the answer, when it names one.
		if len(bought) == 1 {
			t.target = bought[0]
		}
	}
	if strings.TrimSpace(t.target) == "" {
		return nil
	}
	return []expiryTerm{t}
}

// RecordExpiries records, in the transaction that records o's success,
// when each thing it bought or renewed expires: a purchase from now by its
// term, a renewal from the later of the current expiry and now. bought are
// the instance ids the answer named. Each recorded expiry is an audit event
// of the instance's (subject instance_expiry:<id>), naming the order.
func (s *Service) RecordExpiries(ctx context.Context, tx db.DBTX, o Order, bought []string) error {
	if o.Status != StatusSucceeded {
		return nil
	}
	now := s.now()
	for _, t := range termsOf(o, bought) {
		cur, known, err := db.LockInstanceExpiry(ctx, tx, o.AccountID, t.target)
		if err != nil {
			return err
		}
		start := now
		if t.renewal && known && cur.ExpiresAt.After(now) {
			start = cur.ExpiresAt
		}
		rec := db.InstanceExpiry{AccountID: o.AccountID, Product: string(o.Product), Target: t.target,
			BoughtByOrderID: o.ID, LastOrderID: o.ID, ExpiresAt: t.from(start), AutoRenew: t.autoRenew}
		saved, err := db.SaveInstanceExpiry(ctx, tx, rec)
		if err != nil {
			return err
		}
		details := map[string]any{"order_id": o.ID, "product": string(o.Product), "account_id": o.AccountID,
			"instance": t.target, "expires_at": saved.ExpiresAt.UTC().Format(time.RFC3339),
			"auto_renew": saved.AutoRenew, "renewal": t.renewal}
		if known {
			details["was"] = cur.ExpiresAt.UTC().Format(time.RFC3339)
		}
		// The instance's own subject: the order's trail ends with its
		// outcome, and an instance's expiries read as one history.
		if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: db.ActionInstanceExpiryRecorded,
			Subject: "instance_expiry:" + strconv.FormatInt(saved.ID, 10), Details: details}); err != nil {
			return err
		}
	}
	return nil
}
