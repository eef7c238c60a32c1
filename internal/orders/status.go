package orders

import "slices"

import "fmt"

// Status is where an order stands in its life.
type Status string

// The order states. See ARCHITECTURE.md for the diagram.
const (
	StatusDraft           Status = "draft"
	StatusPendingApproval Status = "pending_approval"
	StatusApproved        Status = "approved"
	StatusRejected        Status = "rejected"
	StatusCancelled       Status = "cancelled"
	StatusSending         Status = "sending"
	StatusSucceeded       Status = "succeeded"
	StatusFailed          Status = "failed"
	// StatusUnknown means the call may or may not have bought something.
	// Only a person with evidence, or a lookup for CreateInstance, settles it.
	StatusUnknown Status = "unknown"
	// StatusAwaitingPayment means the service created a deal that nobody
	// has paid: a CloudBase CreateBillDeal without CreateAndPay orders only.
	// Nothing is bought until it is paid; an approver records whether it
	// was paid elsewhere or abandoned.
	StatusAwaitingPayment Status = "awaiting_payment"
)

// Statuses lists every state in lifecycle order, for filters and counts.
var Statuses = []Status{
	StatusDraft, StatusPendingApproval, StatusApproved, StatusRejected, StatusCancelled,
	StatusSending, StatusAwaitingPayment, StatusSucceeded, StatusFailed, StatusUnknown,
}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Terminal reports whether nothing more can happen to the order.
func (s Status) Terminal() bool {
	return len(transitions[s]) == 0
}

// Editable reports whether the order's parameters may still change. Editing
// a pending or approved order sends it back to draft and voids approvals.
func (s Status) Editable() bool {
	return s == StatusDraft || s == StatusPendingApproval || s == StatusApproved
}

// Label is the state as a person reads it.
func (s Status) Label() string {
	switch s {
	case StatusPendingApproval:
		return "Waiting for approval"
	case StatusUnknown:
		return "Outcome unknown"
	case StatusAwaitingPayment:
		return "Ordered, awaiting payment"
	}
	if s == "" {
		return ""
	}
	return string(s[0]-'a'+'A') + string(s[1:])
}

// transitions is the whole state machine: from each state, the states it may
// move to. Every move in the service is checked against it, and the database
// enforces it again with conditional updates (WHERE status = from).
var transitions = map[Status][]Status{
	StatusDraft:           {StatusPendingApproval, StatusCancelled},
	StatusPendingApproval: {StatusDraft, StatusApproved, StatusRejected, StatusCancelled},
	StatusApproved:        {StatusDraft, StatusPendingApproval, StatusSending, StatusCancelled},
	StatusSending:         {StatusSucceeded, StatusAwaitingPayment, StatusFailed, StatusUnknown, StatusApproved},
	StatusUnknown:         {StatusSucceeded, StatusAwaitingPayment, StatusFailed},
	StatusAwaitingPayment: {StatusSucceeded, StatusFailed},
	StatusRejected:        {},
	StatusCancelled:       {},
	StatusSucceeded:       {},
	StatusFailed:          {},
}

// ErrTransition is returned for a move the state machine forbids.
type ErrTransition struct {
	From, To Status
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("orders: an order that is %s cannot become %s", e.From, e.To)
}

// CheckTransition returns an *ErrTransition unless from → to is allowed.
func CheckTransition(from, to Status) error {
	if slices.Contains(transitions[from], to) {
		return nil
	}
	return &ErrTransition{From: from, To: to}
}
