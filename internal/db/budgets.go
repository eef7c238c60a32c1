package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// CostCentre is a name admins keep that an order may carry (migration 021).
type CostCentre struct {
	ID        int64
	Name      string
	CreatedAt time.Time
	CreatedBy int64
	Retired   bool
}

func costCentreFrom(r sqlcgen.CostCentre) CostCentre {
	return CostCentre{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Retired: r.Retired}
}

// ListCostCentres lists every cost centre, those in use first, by name.
func ListCostCentres(ctx context.Context, q DBTX) ([]CostCentre, error) {
	rows, err := queries.ListCostCentres(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list cost centres: %w", Translate(err))
	}
	out := make([]CostCentre, len(rows))
	for i, r := range rows {
		out[i] = costCentreFrom(r)
	}
	return out, nil
}

// GetCostCentre reads one cost centre; ErrNotFound when there is none.
func GetCostCentre(ctx context.Context, q DBTX, id int64) (CostCentre, error) {
	r, err := queries.GetCostCentre(ctx, q, id)
	if err != nil {
		return CostCentre{}, fmt.Errorf("db: cost centre %d: %w", id, Translate(err))
	}
	return costCentreFrom(r), nil
}

// InsertCostCentre adds a cost centre; ErrConflict when the name is taken.
func InsertCostCentre(ctx context.Context, q DBTX, name string, by int64) (CostCentre, error) {
	r, err := queries.InsertCostCentre(ctx, q, sqlcgen.InsertCostCentreParams{Name: name, CreatedBy: by})
	if err != nil {
		return CostCentre{}, fmt.Errorf("db: insert cost centre: %w", Translate(err))
	}
	return costCentreFrom(r), nil
}

// SetCostCentreRetired retires a cost centre (no longer offered) or brings
// it back.
func SetCostCentreRetired(ctx context.Context, q DBTX, id int64, retired bool) (CostCentre, error) {
	r, err := queries.SetCostCentreRetired(ctx, q, sqlcgen.SetCostCentreRetiredParams{ID: id, Retired: retired})
	if err != nil {
		return CostCentre{}, fmt.Errorf("db: retire cost centre %d: %w", id, Translate(err))
	}
	return costCentreFrom(r), nil
}

// SetOrderCostCentre names the order's cost centre; id 0 clears it.
func SetOrderCostCentre(ctx context.Context, q DBTX, orderID, costCentreID int64) error {
	var err error
	if costCentreID == 0 {
		err = queries.ClearOrderCostCentre(ctx, q, orderID)
	} else {
		err = queries.SetOrderCostCentre(ctx, q, sqlcgen.SetOrderCostCentreParams{OrderID: orderID, CostCentreID: costCentreID})
	}
	if err != nil {
		return fmt.Errorf("db: cost centre of order %d: %w", orderID, Translate(err))
	}
	return nil
}

// OrderCostCentre is the cost centre an order names.
type OrderCostCentre struct {
	ID   int64
	Name string
}

// ListOrderCostCentres reads the cost centres of several orders, by order
// id; an order without one is absent.
func ListOrderCostCentres(ctx context.Context, q DBTX, orderIDs []int64) (map[int64]OrderCostCentre, error) {
	rows, err := queries.ListOrderCostCentres(ctx, q, emptyIfNil(orderIDs))
	if err != nil {
		return nil, fmt.Errorf("db: cost centres of orders: %w", Translate(err))
	}
	out := make(map[int64]OrderCostCentre, len(rows))
	for _, r := range rows {
		out[r.OrderID] = OrderCostCentre{ID: r.CostCentreID, Name: r.Name}
	}
	return out, nil
}

// BudgetInput is what an admin sets on a budget. CostCentreID 0 means the
// whole account.
type BudgetInput struct {
	AccountID       int64
	CostCentreID    int64
	Period          string
	LimitFen        int64
	BlockOverBudget bool
}

// Budget is a stored budget.
type Budget struct {
	ID              int64
	AccountID       int64
	CostCentreID    int64
	Period          string
	LimitFen        int64
	BlockOverBudget bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func budgetFrom(r sqlcgen.Budget) Budget {
	return Budget{ID: r.ID, AccountID: r.AccountID, CostCentreID: deref(r.CostCentreID), Period: r.Period,
		LimitFen: r.LimitFen, BlockOverBudget: r.BlockOverBudget, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// InsertBudget adds a budget; ErrConflict when the account (and cost
// centre) already has one for the period.
func InsertBudget(ctx context.Context, q DBTX, in BudgetInput, by int64) (Budget, error) {
	var cc *int64
	if in.CostCentreID != 0 {
		cc = &in.CostCentreID
	}
	r, err := queries.InsertBudget(ctx, q, sqlcgen.InsertBudgetParams{AccountID: in.AccountID, CostCentreID: cc,
		Period: in.Period, LimitFen: in.LimitFen, BlockOverBudget: in.BlockOverBudget, CreatedBy: by})
	if err != nil {
		return Budget{}, fmt.Errorf("db: insert budget: %w", Translate(err))
	}
	return budgetFrom(r), nil
}

// LockBudget reads one budget under its row lock; ErrNotFound when gone.
func LockBudget(ctx context.Context, q DBTX, id int64) (Budget, error) {
	r, err := queries.LockBudget(ctx, q, id)
	if err != nil {
		return Budget{}, fmt.Errorf("db: lock budget %d: %w", id, Translate(err))
	}
	return budgetFrom(r), nil
}

// UpdateBudget sets a budget's limit and whether it blocks.
func UpdateBudget(ctx context.Context, q DBTX, id, limitFen int64, block bool) (Budget, error) {
	r, err := queries.UpdateBudget(ctx, q, sqlcgen.UpdateBudgetParams{ID: id, LimitFen: limitFen, BlockOverBudget: block})
	if err != nil {
		return Budget{}, fmt.Errorf("db: update budget %d: %w", id, Translate(err))
	}
	return budgetFrom(r), nil
}

// DeleteBudget removes a budget and returns what it was.
func DeleteBudget(ctx context.Context, q DBTX, id int64) (Budget, error) {
	r, err := queries.DeleteBudget(ctx, q, id)
	if err != nil {
		return Budget{}, fmt.Errorf("db: delete budget %d: %w", id, Translate(err))
	}
	return budgetFrom(r), nil
}

// LockBudgetsOf locks, in id order, the budgets the order (of the account)
// counts against, and returns their ids.
func LockBudgetsOf(ctx context.Context, q DBTX, accountID, orderID int64) ([]int64, error) {
	ids, err := queries.LockBudgetsOf(ctx, q, sqlcgen.LockBudgetsOfParams{AccountID: accountID, OrderID: orderID})
	if err != nil {
		return nil, fmt.Errorf("db: lock budgets of account %d: %w", accountID, Translate(err))
	}
	return ids, nil
}

// BudgetUse is a budget with what it holds in its current period (see the
// BudgetUses query for what each sum counts).
type BudgetUse struct {
	Budget
	AccountName    string
	CostCentreName string
	PeriodStart    time.Time
	PeriodEnd      time.Time
	SpentFen       int64
	CommittedFen   int64
	RequestedFen   int64
	Unpriced       int
}

// BudgetUses reads the budgets of the accounts (only budgetIDs of them
// when not empty) with their use. With exceptOrderID (0: none), only that
// order's budgets, and the order left out of the sums.
func BudgetUses(ctx context.Context, q DBTX, accountIDs, budgetIDs []int64, exceptOrderID int64) ([]BudgetUse, error) {
	rows, err := queries.BudgetUses(ctx, q, sqlcgen.BudgetUsesParams{
		AccountIds: emptyIfNil(accountIDs), BudgetIds: emptyIfNil(budgetIDs), ExceptOrderID: exceptOrderID})
	if err != nil {
		return nil, fmt.Errorf("db: budget uses: %w", Translate(err))
	}
	out := make([]BudgetUse, len(rows))
	for i, r := range rows {
		out[i] = BudgetUse{
			Budget: Budget{ID: r.ID, AccountID: r.AccountID, CostCentreID: deref(r.CostCentreID), Period: r.Period,
				LimitFen: r.LimitFen, BlockOverBudget: r.BlockOverBudget, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt},
			AccountName: r.AccountName, CostCentreName: r.CostCentreName, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
			SpentFen: r.SpentFen, CommittedFen: r.CommittedFen, RequestedFen: r.RequestedFen, Unpriced: int(r.Unpriced),
		}
	}
	return out, nil
}

// ListBudgetAccountIDs lists the accounts that have a budget.
func ListBudgetAccountIDs(ctx context.Context, q DBTX) ([]int64, error) {
	ids, err := queries.ListBudgetAccountIDs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: budget accounts: %w", Translate(err))
	}
	return ids, nil
}

// SpendOrder is a succeeded order as the spend pages count it.
type SpendOrder struct {
	ID          int64
	Title       string
	Product     string
	BoughtAt    time.Time
	AmountFen   *int64 // billed, else the estimate; nil: neither known
	BilledFen   *int64
	EstimateFen *int64
	Differs     bool
	CostCentre  string
}

// SpendOrders lists an account's orders (one cost centre's, when not 0)
// that succeeded since a time, oldest first, at most 10,000.
func SpendOrders(ctx context.Context, q DBTX, accountID, costCentreID int64, since time.Time) ([]SpendOrder, error) {
	rows, err := queries.SpendOrders(ctx, q, sqlcgen.SpendOrdersParams{AccountID: accountID, CostCentreID: costCentreID, Since: since})
	if err != nil {
		return nil, fmt.Errorf("db: spend of account %d: %w", accountID, Translate(err))
	}
	out := make([]SpendOrder, len(rows))
	for i, r := range rows {
		out[i] = SpendOrder(r)
	}
	return out, nil
}
