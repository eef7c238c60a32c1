package orders

import (
	"context"

	"dealdesk/internal/auth"
)

// SendingState is an order's sending as one person sees it: whether a send
// is waiting and what the viewer may do about the sending now. The order
// page renders it (and a JSON API would return it); the actions themselves
// (RequestSend, and the sender's ResendWithToken and SettleByHand) ask the
// same functions, so what a page offers is what the action allows.
type SendingState struct {
	Order Order
	// SendQueued says a send job for the order is queued or running.
	SendQueued bool
	// CanSendNow: the order is approved, no send is waiting (pressing would
	// queue nothing new otherwise), and the viewer may send it (MaySend).
	// Whatever the policy says now: it may have changed since the order was
	// approved.
	CanSendNow bool
	// CanSettle: the outcome is unknown, or a deal awaits payment, and the
	// viewer may settle it (MaySettle): by resending an unknown order with
	// its ClientToken (CanResend), or by recording what they found or
	// whether the deal was paid.
	CanSettle bool
	// SettlesByResend says the product's orders carry a ClientToken, so an
	// unknown outcome is settled by resending it (Spec.UsesClientToken).
	SettlesByResend bool
	// CanResend: CanSettle, by resending.
	CanResend bool
}

// MaySend reports whether a may ask for o to be sent: its requester, any
// approver, admins.
func MaySend(a Actor, o Order) bool {
	return (o.RequesterID == a.UserID && a.Has(auth.RoleRequester)) || MaySettle(a)
}

// MaySettle reports whether a may settle orders whose outcome is unknown
// (by resending or by hand) or record whether a deal awaiting payment was
// paid: approvers and admins.
func MaySettle(a Actor) bool { return a.Has(auth.RoleApprover) || a.Has(auth.RoleAdmin) }

// SendingState reads the sending state of o for the actor.
func (s *Service) SendingState(ctx context.Context, a Actor, o Order) (SendingState, error) {
	st := SendingState{Order: o, SettlesByResend: o.Product.Spec().UsesClientToken}
	if o.Status == StatusApproved {
		waiting, err := s.SendWaiting(ctx, o.ID)
		if err != nil {
			return SendingState{}, err
		}
		st.SendQueued = waiting
		st.CanSendNow = !waiting && MaySend(a, o)
	}
	st.CanSettle = (o.Status == StatusUnknown || o.Status == StatusAwaitingPayment) && MaySettle(a)
	st.CanResend = st.CanSettle && o.Status == StatusUnknown && st.SettlesByResend
	return st, nil
}
