package sending

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi"
)

// Settlement is what a person found out about an order whose outcome was
// unknown, and how they know.
type Settlement struct {
	// Succeeded is true when the purchase happened, false when it did not.
	Succeeded bool
	// Note says what they checked (the Tencent Cloud console's order list,
	// a bill, a ticket with support); required.
	Note string
	// DealNames (WAF) or instance ids they found, when it succeeded.
	DealNames []string
	// LookupID is the bill lookup whose proposal the person confirmed
	// (ConfirmLookup), 0 when they settled from their own findings.
	LookupID int64
}

// The outcomes a person records (the order's outcome column): what they
// found for an unknown order, or whether a deal awaiting payment was paid.
const (
	OutcomeSettledByHand   = "settled_by_hand"
	OutcomePaymentRecorded = "payment_recorded"
)

// SettleByHand records what a person found for an order in unknown status,
// or whether an order awaiting payment was paid (Succeeded) or abandoned.
// It is the only way a WAF or TCB order leaves unknown, and the only way
// any order leaves awaiting payment: nothing is sent. An unknown CloudBase
// order that only ordered (no CreateAndPay) found "bought" awaits payment.
func (s *Sender) SettleByHand(ctx context.Context, a orders.Actor, orderID int64, st Settlement) (orders.Order, error) {
	if !orders.MaySettle(a) {
		return orders.Order{}, fault.New(fault.Refused, "send.settle.who")
	}
	fe := fault.Fields{}
	note := strings.TrimSpace(st.Note)
	if note == "" {
		fe.Set("note", "send.settle.note_missing")
	} else if len(note) > 4000 {
		fe.Set("note", "send.settle.note_too_long", "max", "4000")
	}
	var deals []string
	for _, d := range st.DealNames {
		if d = strings.TrimSpace(d); d != "" {
			deals = append(deals, d)
		}
	}
	if len(fe) > 0 {
		return orders.Order{}, fe
	}
	var out orders.Order
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := s.orders.Lock(ctx, tx, orderID)
		if err != nil {
			return err
		}
		// Decided on the locked row: the status it is in now says what
		// the person's answer means.
		var to orders.Status
		var action, outcome string
		switch {
		case o.Status == orders.StatusAwaitingPayment && st.Succeeded:
			to, action, outcome = orders.StatusSucceeded, db.ActionOrderPaymentConfirmed, OutcomePaymentRecorded
		case o.Status == orders.StatusAwaitingPayment:
			to, action, outcome = orders.StatusFailed, db.ActionOrderPaymentAbandoned, OutcomePaymentRecorded
		case o.Status != orders.StatusUnknown:
			return fault.New(fault.Conflict, "send.settle.not_unknown", "status", strings.ToLower(o.Status.Label()))
		case st.Succeeded && succeededAs(o) == orders.StatusAwaitingPayment:
			to, action, outcome = orders.StatusAwaitingPayment, db.ActionOrderSettledAwaitingPayment, OutcomeSettledByHand
		case st.Succeeded:
			to, action, outcome = orders.StatusSucceeded, db.ActionOrderSettledSucceeded, OutcomeSettledByHand
		default:
			to, action, outcome = orders.StatusFailed, db.ActionOrderSettledFailed, OutcomeSettledByHand
		}
		details := map[string]any{"note": note, "deal_names": deals}
		if st.LookupID != 0 {
			details["bill_lookup_id"] = st.LookupID
		}
		next, err := s.orders.Transition(ctx, tx, a, o, to, action, details)
		if err != nil {
			return err
		}
		rec := o.Sent
		rec.Outcome = outcome
		if st.Succeeded && len(deals) > 0 {
			rec.DealNames = deals
		}
		if err := db.RecordOrderOutcome(ctx, tx, o.ID, rec, true); err != nil {
			return err
		}
		if err := db.SetSettlementNote(ctx, tx, o.ID, note); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}

// sentHash is the sha256 of the bytes that went on the wire, as they were:
// since the sender sends the stored canonical bytes, it must equal the
// approved hash byte for byte.
func sentHash(res tcapi.Result) string {
	if len(res.Sent) == 0 {
		return ""
	}
	return orders.Hash(res.Sent)
}

func actorID(a orders.Actor) string {
	if a.UserID == 0 {
		return "system"
	}
	return fmt.Sprint(a.UserID)
}
