package orders

import (
	"context"

	"dealdesk/internal/db"
)

// Funds is the funds check an approver reads before approving: the
// account's balance as Tencent Cloud last reported it, less what is already
// approved and not yet sent, against this order's estimate, so a batch of
// approvals does not end in BalanceInsufficient.
type Funds struct {
	BalanceFen int64
	// CommittedFen sums the estimates of the account's other orders that
	// are approved or sending; Unpriced counts those of them with no
	// estimate (their cost is unknown, so Available may be too high).
	CommittedFen int64
	Unpriced     int
	// AvailableFen is BalanceFen − CommittedFen (may be negative).
	AvailableFen int64
	// Estimate is this order's.
	Estimate Estimate
}

// Enough reports whether the order's estimate fits in what is available.
// An order without an estimate is never "enough": nobody knows.
func (f Funds) Enough() bool {
	return f.Estimate.Priced() && f.Estimate.TotalFen() <= f.AvailableFen
}

// Committed sums what an account has approved and not yet sent, except the
// order o itself.
func (s *Service) Committed(ctx context.Context, accountID, except int64) (fen int64, unpriced int, err error) {
	return db.CommittedForAccount(ctx, s.pool, accountID, except)
}

// CheckFunds sets the balance against the order's estimate est (the one
// its approval state already read): what the account's other approved
// orders will take first, and what is left for this one.
func (s *Service) CheckFunds(ctx context.Context, o Order, est Estimate, balanceFen int64) (Funds, error) {
	committed, unpriced, err := s.Committed(ctx, o.AccountID, o.ID)
	if err != nil {
		return Funds{}, err
	}
	return Funds{BalanceFen: balanceFen, CommittedFen: committed, Unpriced: unpriced,
		AvailableFen: balanceFen - committed, Estimate: est}, nil
}
