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
	o, err := s.renew(ctx, a, src, renewInputFor(src, e.Target), db.ActionOrderRenewalDue, claim)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}

// renewInputFor names the instance a renewal of src is for, where src's
// parameters leave it to be named.
func renewInputFor(src Order, target string) RenewInput {
	if name := src.Product.Spec().renewalNames; name != nil {
		return name(src.Params, target)
	}
	return RenewInput{}
}

// renewInstanceID: a Billing renewal names its instance.
func renewInstanceID(_ []byte, target string) RenewInput { return RenewInput{InstanceID: target} }

// renewResourceID: a CloudBase renewal names its environment.
func renewResourceID(_ []byte, target string) RenewInput { return RenewInput{ResourceID: target} }

// renewWAFLine: a WAF order of one line names that line's instance; of
// several, the renewal cannot tell which line the instance was.
func renewWAFLine(params []byte, target string) RenewInput {
	var req tcapi.GenerateDealsAndPayNewRequest
	if json.Unmarshal(params, &req) == nil && len(req.Goods) == 1 {
		return RenewInput{InstanceIDs: map[int]string{0: target}}
	}
	return RenewInput{}
}
