package orders

import (
	"errors"
	"testing"
)

func TestTransitions(t *testing.T) {
	t.Parallel()
	allowed := map[[2]Status]bool{
		{StatusDraft, StatusPendingApproval}:     true,
		{StatusDraft, StatusCancelled}:           true,
		{StatusPendingApproval, StatusDraft}:     true, // withdraw or edit
		{StatusPendingApproval, StatusApproved}:  true,
		{StatusPendingApproval, StatusRejected}:  true,
		{StatusPendingApproval, StatusCancelled}: true,
		{StatusApproved, StatusDraft}:            true, // edit voids approvals
		{StatusApproved, StatusPendingApproval}:  true, // the estimate changed: approve the new amount
		{StatusApproved, StatusSending}:          true,
		{StatusApproved, StatusCancelled}:        true,
		{StatusSending, StatusSucceeded}:         true,
		{StatusSending, StatusFailed}:            true,
		{StatusSending, StatusUnknown}:           true,
		{StatusSending, StatusApproved}:          true, // throttled or never sent: back in the queue
		{StatusUnknown, StatusSucceeded}:         true,
		{StatusUnknown, StatusFailed}:            true,
		// An unpaid CloudBase deal: sent without CreateAndPay, or found
		// "bought" by a person after an unknown outcome; then paid or
		// abandoned, as an approver records.
		{StatusSending, StatusAwaitingPayment}:   true,
		{StatusUnknown, StatusAwaitingPayment}:   true,
		{StatusAwaitingPayment, StatusSucceeded}: true,
		{StatusAwaitingPayment, StatusFailed}:    true,
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			err := CheckTransition(from, to)
			if allowed[[2]Status{from, to}] != (err == nil) {
				t.Errorf("%s → %s: err = %v", from, to, err)
			}
			var te *ErrTransition
			if err != nil && !errors.As(err, &te) {
				t.Errorf("%s → %s: error is not *ErrTransition", from, to)
			}
		}
	}
}

func TestNothingLeavesUnknownButSettlement(t *testing.T) {
	t.Parallel()
	// An order that may have bought something must never be sent again or
	// cancelled as if nothing happened.
	for _, to := range []Status{StatusApproved, StatusSending, StatusCancelled, StatusDraft} {
		if CheckTransition(StatusUnknown, to) == nil {
			t.Errorf("unknown → %s allowed", to)
		}
	}
}

func TestStatusProperties(t *testing.T) {
	t.Parallel()
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if Status("bogus").Valid() {
		t.Error("bogus status valid")
	}
	for s, want := range map[Status]bool{StatusSucceeded: true, StatusFailed: true, StatusRejected: true, StatusCancelled: true, StatusUnknown: false, StatusSending: false, StatusAwaitingPayment: false} {
		if s.Terminal() != want {
			t.Errorf("%s.Terminal() = %v", s, !want)
		}
	}
	if StatusSending.Editable() || StatusUnknown.Editable() || StatusAwaitingPayment.Editable() || !StatusApproved.Editable() {
		t.Error("Editable wrong")
	}
	if StatusPendingApproval.Label() != "Waiting for approval" || StatusDraft.Label() != "Draft" {
		t.Error("Label wrong")
	}
}
