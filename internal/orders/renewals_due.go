package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/tcapi"
)

// errDraftedElsewhere rolls a renewal draft back: another pass (this
// replica's or another's) drafted the renewal for the same expiry first.
var errDraftedElsewhere = errors.New("orders: renewal already drafted for this expiry")

// DueRenewals is what one pass of DraftDueRenewals did.
type DueRenewals struct {
	// Drafted are the renewal drafts made, by order id.
	Drafted []int64
	// Skipped counts instances that could not be drafted (the buyer may no
	// longer compose, the purchase cannot be renewed as it stands); they
	// stay on the Renewals page for a person to renew by hand.
	Skipped int
}

// dueBatch bounds one pass; the next pass takes the rest.
const dueBatch = 100

// DraftDueRenewals drafts, for the person who bought it, the renewal of
// each instance whose account's lead time before expiry has begun at now
// and that does not renew automatically. Each draft, its audit event and
// its renewal_due notice commit together with a row keyed by (instance,
// expiry), so two replicas running the pass at once draft each renewal
// exactly once: the second insert finds the key taken and rolls back.
func (s *Service) DraftDueRenewals(ctx context.Context, now time.Time) (DueRenewals, error) {
	var out DueRenewals
	due, err := db.ListDueRenewals(ctx, s.pool, now, dueBatch)
	if err != nil {
		return out, err
	}
	for _, e := range due {
		id, err := s.draftDue(ctx, e)
		switch {
		case errors.Is(err, errDraftedElsewhere):
		case err != nil && ctx.Err() != nil:
			return out, err
		case err != nil:
			out.Skipped++
		default:
			out.Drafted = append(out.Drafted, id)
		}
	}
	return out, nil
}

// draftDue drafts one instance's renewal.
func (s *Service) draftDue(ctx context.Context, e db.InstanceExpiry) (int64, error) {
	src, err := s.Get(ctx, e.LastOrderID)
	if err != nil {
		return 0, err
	}
	bought := src
	if e.BoughtByOrderID != src.ID {
		if bought, err = s.Get(ctx, e.BoughtByOrderID); err != nil {
			return 0, err
		}
	}
	buyer, err := db.GetUser(ctx, s.pool, bought.RequesterID)
	if err != nil {
		return 0, err
	}
	if buyer.Disabled {
		return 0, fmt.Errorf("orders: renewal of %s: its buyer is disabled", e.Target)
	}
	a := Actor{UserID: buyer.ID, Roles: buyer.Roles, Via: "renewals"}
	claim := func(tx pgx.Tx, o Order) error {
		ok, err := db.ClaimRenewalDraft(ctx, tx, e.ID, e.ExpiresAt, o.ID)
		if err != nil {
			return err
		}
		if !ok {
			return errDraftedElsewhere
		}
		if s.hooks.Notify == nil {
			return nil
		}
		return s.tellPolicy(ctx, tx, s.hooks.Notify, o, NoticeRenewalDue, Notice{
			Summary: o.Summary().Text(), InstanceIDs: []string{e.Target},
			Expires: e.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"),
		})
	}
	from, in, err := renewalSourceFor(src, e.Target)
	if err != nil {
		return 0, err
	}
	o, err := s.renew(ctx, a, from, in, db.ActionOrderRenewalDue, claim)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

// renewalSourceFor is what the renewal of target renews: src, and the
// identifiers src leaves to be named (its Spec's renewalSource; nil names
// nothing).
func renewalSourceFor(src Order, target string) (Order, RenewInput, error) {
	if source := src.Product.Spec().renewalSource; source != nil {
		return source(src, target)
	}
	return src, RenewInput{}, nil
}

// renewInstanceID: a Billing renewal names its instance.
func renewInstanceID(src Order, target string) (Order, RenewInput, error) {
	return src, RenewInput{InstanceID: target}, nil
}

// renewResourceID: a CloudBase renewal names its environment.
func renewResourceID(src Order, target string) (Order, RenewInput, error) {
	return src, RenewInput{ResourceID: target}, nil
}

// wafRenewalSource: a WAF order may hold several lines.
// GenerateDealsAndPayNew takes each line's renewal category with its
// InstanceId, so one renewal order renews every line of target's at once
// (the edition and the packs that live on the same instance, and expire
// with it), in one approval and one call. Lines of other instances are
// left to their own drafts (each instance has its own expiry), and lines
// without an expiry of their own (add-ons, changes of configuration) are
// left out.
func wafRenewalSource(src Order, target string) (Order, RenewInput, error) {
	var req tcapi.GenerateDealsAndPayNewRequest
	if err := json.Unmarshal(src.Params, &req); err != nil {
		return Order{}, RenewInput{}, fmt.Errorf("orders: renewal of %s: %w", target, err)
	}
	var lines []tcapi.GoodNews
	for i := range req.Goods {
		g := req.Goods[i]
		if _, ok := wafExpiryLine(&g); !ok {
			continue
		}
		// A line that names no instance bought the order's new one, which
		// is the instance whose expiry the console knows as target.
		if id := tcapi.Deref(g.GoodsDetail.InstanceId); id == "" || id == target {
			lines = append(lines, g)
		}
	}
	if len(lines) == 0 {
		return Order{}, RenewInput{}, fmt.Errorf("orders: renewal of %s: order %d has no renewable line of it", target, src.ID)
	}
	req.Goods = lines
	params, err := json.Marshal(&req)
	if err != nil {
		return Order{}, RenewInput{}, err
	}
	in := RenewInput{InstanceIDs: make(map[int]string, len(lines))}
	for i := range lines {
		in.InstanceIDs[i] = target
	}
	src.Params = params
	return src, in, nil
}
