package orders

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
)

// Funds at delivery time (issue 17, part 5). A scheduled delivery is sent
// days after its approval; the account's balance may have gone elsewhere
// meanwhile. Just before the call the sender reads the balance (through the
// same cached DescribeAccountBalance as the approval page) and sets it, as
// the approval page's funds panel does, against this order's estimate plus
// what the account's other orders have approved and not yet sent. When it
// is short, nothing is called: the order stays approved (it is not failed,
// nothing was tried), the shortfall is recorded with its numbers, and the
// requester and the approvers are told, so someone tops up and sends again.
// The job does not retry by itself: a balance does not rise on its own.
//
// A balance that cannot be read does not hold the delivery back: the
// purchase itself is the definite check (Tencent Cloud refuses it with
// BalanceInsufficient, a definite "nothing bought"), so a failing lookup
// only loses the earlier, friendlier explanation, never money.

// RecheckFunds is the sender's look at the funds of an approved order o
// (locked in tx) with a delivery date, given the account's balance in fen.
// When the estimate does not fit in what is available, the shortfall is
// recorded in tx (audit event and notice through n) and ok is false: o
// stays approved and nothing may be sent. An order without an estimate is
// not held back: nobody can say it is short.
func (s *Service) RecheckFunds(ctx context.Context, tx pgx.Tx, n Notifier, o Order, balanceFen int64) (ok bool, err error) {
	if o.Status != StatusApproved || o.DeliverAt.IsZero() {
		return true, nil
	}
	est, err := s.estimateIn(ctx, tx, o.ID)
	if err != nil || !est.Priced() {
		return true, err
	}
	committed, unpriced, err := db.CommittedForAccount(ctx, tx, o.AccountID, o.ID)
	if err != nil {
		return false, err
	}
	f := Funds{BalanceFen: balanceFen, CommittedFen: committed, Unpriced: unpriced,
		AvailableFen: balanceFen - committed, Estimate: est}
	if f.Enough() {
		return true, nil
	}
	at := s.now().UTC()
	if err := s.audit(ctx, tx, Actor{}, o, db.ActionOrderDeliveryShortOfFunds, map[string]any{
		"deliver_at": o.DeliverAt.UTC().Format(time.RFC3339), "at": at.Format("2006-01-02 15:04 UTC"),
		"balance_fen": balanceFen, "committed_fen": committed, "estimate_fen": est.TotalFen(), "unpriced": unpriced,
		"balance": FormatCNY(balanceFen), "committed": FormatCNY(committed), "estimate": FormatCNY(est.TotalFen()),
	}); err != nil {
		return false, err
	}
	counting, err := db.ListCountingApprovals(ctx, tx, o.ID, o.Version, o.ParamsSHA256)
	if err != nil {
		return false, err
	}
	return false, s.tellPolicy(ctx, tx, n, o, NoticeDeliveryShortOfFunds, Notice{
		ApproverIDs: approverIDs(counting), Expires: at.Format("2006-01-02 15:04 UTC"),
		Balance: FormatCNY(balanceFen), Needed: FormatCNY(est.TotalFen()), Committed: FormatCNY(committed),
	})
}
