package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// fundsView is the approval page's funds check: the account's balance
// (DescribeAccountBalance, cached for accounts.BalanceCacheTTL) less what is
// approved and not yet sent, against the order's estimate. A balance that
// cannot be read is said on the page; only the console's own failures are
// errors.
func (s *Server) fundsView(c echo.Context, o orders.Order, est orders.Estimate) (*templates.FundsView, error) {
	if s.balances == nil {
		return nil, nil
	}
	ctx := c.Request().Context()
	b, err := s.balances.Balance(ctx, o.AccountID)
	if err != nil {
		return nil, err
	}
	if b.Problem.Key != "" {
		return &templates.FundsView{Problem: b.Problem.String()}, nil
	}
	f, err := s.decider.CheckFunds(ctx, o, est, b.Fen)
	if err != nil {
		return nil, err
	}
	return &templates.FundsView{
		Balance: orders.FormatCNY(f.BalanceFen), AsOf: "read " + b.At.UTC().Format("15:04:05 UTC"), Committed: orders.FormatCNY(f.CommittedFen),
		Unpriced: f.Unpriced, Available: orders.FormatCNY(f.AvailableFen), Estimate: f.Estimate.String(), Enough: f.Enough(),
	}, nil
}
