package accounts

import (
	"context"
	"sync"
	"time"

	"dealdesk/internal/fault"
)

// BalanceCacheTTL is how long a balance read from Tencent Cloud is shown
// again without asking: long enough that an approver moving through the
// inbox does not call DescribeAccountBalance per page, short enough that a
// top-up shows within a minute.
const BalanceCacheTTL = time.Minute

// Balance is an account's available balance as Tencent Cloud reported it.
type Balance struct {
	// Fen is the balance; valid only when Problem is "".
	Fen int64
	At  time.Time
	// Problem says why there is no balance (Key "" when there is one).
	Problem fault.Msg
}

// BalanceCache reads balances through Check and keeps each for
// BalanceCacheTTL. It is safe for concurrent use; a failed read is not kept.
type BalanceCache struct {
	svc    *Service
	client Checker
	now    func() time.Time
	mu     sync.Mutex
	cached map[int64]Balance
}

// NewBalanceCache builds a cache over svc and client.
func NewBalanceCache(svc *Service, client Checker) *BalanceCache {
	return &BalanceCache{svc: svc, client: client, now: time.Now, cached: map[int64]Balance{}}
}

// Balance returns the account's balance, from the cache when fresh.
func (c *BalanceCache) Balance(ctx context.Context, accountID int64) (Balance, error) {
	c.mu.Lock()
	b, ok := c.cached[accountID]
	c.mu.Unlock()
	if ok && c.now().Sub(b.At) < BalanceCacheTTL {
		return b, nil
	}
	res, err := c.svc.Check(ctx, c.client, accountID)
	if err != nil {
		return Balance{}, err
	}
	switch {
	case res.OK && res.Balance != nil:
		b = Balance{Fen: *res.Balance, At: c.now()}
	case res.Problem.Key != "":
		return Balance{Problem: res.Problem}, nil
	case res.ErrorCode != "":
		return Balance{Problem: fault.M("account.balance.refused", "code", res.ErrorCode, "explanation", res.Explanation)}, nil
	default:
		return Balance{Problem: fault.M("account.balance.unsaid")}, nil
	}
	c.mu.Lock()
	c.cached[accountID] = b
	c.mu.Unlock()
	return b, nil
}

// BalanceFen is Balance for the sender's funds check at a scheduled
// delivery (sending.Balances): known is false when there is no balance to
// say (the Problem is then the page's business, not the sender's).
func (c *BalanceCache) BalanceFen(ctx context.Context, accountID int64) (fen int64, known bool, err error) {
	b, err := c.Balance(ctx, accountID)
	if err != nil || b.Problem.Key != "" {
		return 0, false, err
	}
	return b.Fen, true, nil
}
