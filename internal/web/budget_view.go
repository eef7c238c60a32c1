package web

import (
	"context"
	"strconv"
	"time"

	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// budgetView is the order's tightest budget before and after it, for the
// approval panel on the order and approval pages; nil when none applies.
func (s *Server) budgetView(ctx context.Context, o orders.Order, est orders.Estimate) (*templates.BudgetView, error) {
	if s.deps.Orders == nil {
		return nil, nil
	}
	b, ok, err := s.deps.Orders.BudgetOf(ctx, o, est)
	if err != nil || !ok {
		return nil, err
	}
	u := b.Use
	name := fault.M("budget.name", "account", u.AccountName, "period", u.Period)
	if u.CostCentreName != "" {
		name = fault.M("budget.name.cost_centre", "account", u.AccountName, "cost_centre", u.CostCentreName, "period", u.Period)
	}
	estimate := est.String()
	return &templates.BudgetView{
		Name:        name.String(),
		PeriodRange: u.PeriodStart.In(beijing).Format(time.DateOnly) + " – " + u.PeriodEnd.In(beijing).AddDate(0, 0, -1).Format(time.DateOnly),
		Limit:       orders.FormatCNY(u.LimitFen), Spent: orders.FormatCNY(u.SpentFen), Committed: orders.FormatCNY(u.CommittedFen),
		Requested: orders.FormatCNY(u.RequestedFen), LeftBefore: orders.FormatCNY(b.LeftBeforeFen),
		Estimate: estimate, LeftAfter: orders.FormatCNY(b.LeftAfterFen),
		Over: b.Over(), Blocks: u.BlockOverBudget, Priced: b.Priced,
	}, nil
}

// overBudget flags, by order id, the listed orders that would exceed a
// budget.
func (s *Server) overBudget(ctx context.Context, subjects []orders.BudgetSubject, ests map[int64]orders.Estimate) (map[int64]bool, error) {
	if s.deps.Orders == nil {
		return nil, nil
	}
	return s.deps.Orders.OverBudget(ctx, subjects, ests)
}

// billView is a succeeded order's bill beside its estimate; nil before the
// first lookup.
func (s *Server) billView(ctx context.Context, orderID int64, est orders.Estimate) (*templates.BillView, error) {
	if s.deps.Orders == nil {
		return nil, nil
	}
	b, ok, err := s.deps.Orders.BillOf(ctx, orderID)
	if err != nil || !ok {
		return nil, err
	}
	v := &templates.BillView{Found: b.Status == "found", Reason: b.Reason, Estimate: est.String(),
		Differs: b.Differs, Tolerance: strconv.Itoa(b.TolerancePercent) + "%"}
	if v.Found {
		v.Billed, v.List = orders.FormatCNY(*b.BilledFen), orders.FormatCNY(*b.ListFen)
		v.Discount, v.Voucher = orders.FormatCNY(*b.DiscountFen), orders.FormatCNY(*b.VoucherFen)
	}
	return v, nil
}
