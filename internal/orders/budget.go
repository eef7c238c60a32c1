package orders

import (
	"context"
	"errors"

	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Budget periods: calendar months, quarters and years in Beijing time.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

// BudgetPeriods lists the periods a budget may cover, in the order forms
// offer them.
var BudgetPeriods = []string{PeriodMonth, PeriodQuarter, PeriodYear}

// BudgetUse is a budget with what it holds in its current period: spent
// (orders that succeeded in the period: billed, or the estimate until
// billed), committed (approved, being sent, unknown or awaiting payment:
// promised, not yet on the bill) and requested (pending approval). It is a
// record read as stored, named here for the pages.
type BudgetUse = db.BudgetUse

// BudgetLeftFen is what the budget has left once what is spent and
// committed is taken: requested orders are not counted until approved.
func BudgetLeftFen(u BudgetUse) int64 { return u.LimitFen - u.SpentFen - u.CommittedFen }

// OrderBudget is one budget as an order sees it: what the budget has left
// without the order, and after it.
type OrderBudget struct {
	Use BudgetUse
	// EstimateFen is the order's estimate; Priced is false when it has
	// none (then the arithmetic counts it as 0, and Over cannot be known).
	EstimateFen int64
	Priced      bool
	// LeftBeforeFen is the limit less spent and committed by the budget's
	// other orders; LeftAfterFen takes this order too.
	LeftBeforeFen int64
	LeftAfterFen  int64
}

// Over reports whether the order would take the budget past its limit.
func (b OrderBudget) Over() bool { return b.LeftAfterFen < 0 }

// Blocks reports whether this budget refuses the order's approval: it is
// set to block over-budget orders, and the order would exceed it or has no
// estimate to tell.
func (b OrderBudget) Blocks() bool {
	return b.Use.BlockOverBudget && (b.Over() || !b.Priced)
}

// LeftAfter is what the order's budget has left after the order: the
// budget's limit for its current period, less what its other orders spent
// and committed, less this order's estimate (0 when it has none). When
// several budgets apply (the account's, its cost centre's; per month,
// quarter or year), it is the one with the least left, and budgetID names
// it. ok is false when no budget applies to the order.
//
// In a transaction, LeftAfter locks every budget of the order (SELECT … FOR
// UPDATE, in id order) until the transaction ends, so the amounts it
// returns are taken under the same lock as a decision made in that
// transaction: concurrent approvals of orders sharing a budget take turns
// and each counts the ones before it. It reads the order's stored estimate
// and cost centre from q. The approval rules use it as "budget left after
// this order".
func LeftAfter(ctx context.Context, q db.DBTX, o Order) (leftFen int64, budgetID int64, ok bool, err error) {
	bs, err := lockedBudgets(ctx, q, o)
	if err != nil || len(bs) == 0 {
		return 0, 0, false, err
	}
	t := tightest(bs)
	return t.LeftAfterFen, t.Use.ID, true, nil
}

// lockedBudgets locks the order's budgets and reads each as the order
// sees it, in id order, with the order's stored estimate.
func lockedBudgets(ctx context.Context, q db.DBTX, o Order) ([]OrderBudget, error) {
	ids, err := db.LockBudgetsOf(ctx, q, o.AccountID, o.ID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	uses, err := db.BudgetUses(ctx, q, []int64{o.AccountID}, ids, o.ID)
	if err != nil {
		return nil, err
	}
	est, err := db.GetOrderEstimate(ctx, q, o.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	out := make([]OrderBudget, len(uses))
	for i, u := range uses {
		out[i] = orderBudget(u, est.Fen)
	}
	return out, nil
}

func orderBudget(u BudgetUse, estimateFen *int64) OrderBudget {
	b := OrderBudget{Use: u, LeftBeforeFen: BudgetLeftFen(u), Priced: estimateFen != nil}
	if estimateFen != nil {
		b.EstimateFen = *estimateFen
	}
	b.LeftAfterFen = b.LeftBeforeFen - b.EstimateFen
	return b
}

// tightest is the budget with the least left after the order (the first
// of equals). bs is not empty.
func tightest(bs []OrderBudget) OrderBudget {
	t := bs[0]
	for _, b := range bs[1:] {
		if b.LeftAfterFen < t.LeftAfterFen {
			t = b
		}
	}
	return t
}

// BudgetOf is the order's tightest budget as the order sees it, against
// its estimate est (the one its page already read), for its pages (ok
// false: none applies). One statement; it locks nothing.
func (s *Service) BudgetOf(ctx context.Context, o Order, est Estimate) (b OrderBudget, ok bool, err error) {
	uses, err := db.BudgetUses(ctx, s.pool, []int64{o.AccountID}, nil, o.ID)
	if err != nil || len(uses) == 0 {
		return OrderBudget{}, false, err
	}
	bs := make([]OrderBudget, len(uses))
	for i, u := range uses {
		bs[i] = orderBudget(u, est.Total)
	}
	return tightest(bs), true, nil
}

// budgetGuard runs in the approving transaction: it locks the order's
// budgets, reads them, and refuses the approval when a budget that blocks
// over-budget orders would be exceeded (or cannot tell, the order having no
// estimate). It returns what the audit event records of the tightest budget.
func budgetGuard(ctx context.Context, tx db.DBTX, o Order) (map[string]any, error) {
	bs, err := lockedBudgets(ctx, tx, o)
	if err != nil || len(bs) == 0 {
		return nil, err
	}
	for _, b := range bs {
		if b.Blocks() {
			if !b.Priced {
				return nil, forbidden("budget.blocks_unpriced")
			}
			return nil, fault.New(fault.Refused, "budget.blocks_over",
				"left", FormatCNY(b.LeftBeforeFen), "estimate", FormatCNY(b.EstimateFen))
		}
	}
	t := tightest(bs)
	return map[string]any{"budget_id": t.Use.ID, "budget_left_before_fen": t.LeftBeforeFen, "budget_left_after_fen": t.LeftAfterFen}, nil
}

// BudgetSubject is what the over-budget flag needs of an order in a list.
type BudgetSubject struct {
	ID, AccountID int64
	Status        Status
}

// OverBudget tells, for orders still to be decided or sent (draft, pending
// approval, approved), whether each would take one of its budgets past
// its limit: the flag the lists and the inbox show. estimates are the
// orders' estimates by id. At most two statements, whatever the number of
// orders.
func (s *Service) OverBudget(ctx context.Context, os []BudgetSubject, estimates map[int64]Estimate) (map[int64]bool, error) {
	var ids, accounts []int64
	seen := map[int64]bool{}
	for _, o := range os {
		if !budgetOpen(o.Status) {
			continue
		}
		ids = append(ids, o.ID)
		if !seen[o.AccountID] {
			seen[o.AccountID] = true
			accounts = append(accounts, o.AccountID)
		}
	}
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	uses, err := db.BudgetUses(ctx, s.pool, accounts, nil, 0)
	if err != nil || len(uses) == 0 {
		return out, err
	}
	ccs, err := db.ListOrderCostCentres(ctx, s.pool, ids)
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if !budgetOpen(o.Status) {
			continue
		}
		est := estimates[o.ID].TotalFen()
		for _, u := range uses {
			if u.AccountID != o.AccountID || (u.CostCentreID != 0 && u.CostCentreID != ccs[o.ID].ID) {
				continue
			}
			left := BudgetLeftFen(u)
			// An approved order is already among the budget's committed.
			if o.Status != StatusApproved {
				left -= est
			}
			if left < 0 {
				out[o.ID] = true
			}
		}
	}
	return out, nil
}

func budgetOpen(s Status) bool {
	return s == StatusDraft || s == StatusPendingApproval || s == StatusApproved
}

// setCostCentre stores the order's cost centre in tx: to (0: none), which
// must exist and, unless the order already had it (was), not be retired.
func setCostCentre(ctx context.Context, tx db.DBTX, orderID, was, to int64) error {
	if to != 0 && to != was {
		c, err := db.GetCostCentre(ctx, tx, to)
		if errors.Is(err, db.ErrNotFound) {
			return fault.Fields{"cost_centre_id": fault.M("cost_centre.not_found")}
		}
		if err != nil {
			return err
		}
		if c.Retired {
			return fault.Fields{"cost_centre_id": fault.M("cost_centre.retired")}
		}
	}
	if to == was {
		return nil
	}
	return db.SetOrderCostCentre(ctx, tx, orderID, to)
}

// CostCentreOf is the cost centre the order names (zero: none).
func (s *Service) CostCentreOf(ctx context.Context, orderID int64) (db.OrderCostCentre, error) {
	ccs, err := db.ListOrderCostCentres(ctx, s.pool, []int64{orderID})
	return ccs[orderID], err
}
