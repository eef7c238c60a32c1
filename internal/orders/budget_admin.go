package orders

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// CostCentre is a name admins keep that an order may carry.
type CostCentre = db.CostCentre

// BudgetInput is what an admin sets on a budget (CostCentreID 0: the
// whole account).
type BudgetInput = db.BudgetInput

// MaxCostCentreName bounds a cost centre's name (the database checks it too).
const MaxCostCentreName = 100

// CostCentres lists every cost centre, those in use first.
func (s *Service) CostCentres(ctx context.Context) ([]CostCentre, error) {
	return db.ListCostCentres(ctx, s.pool)
}

// AddCostCentre adds a cost centre, for an admin, with its audit event.
func (s *Service) AddCostCentre(ctx context.Context, a Actor, name string) (CostCentre, error) {
	if !a.Has(auth.RoleAdmin) {
		return CostCentre{}, forbidden("budget.admins_only")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return CostCentre{}, fault.Fields{"name": fault.M("cost_centre.name.missing")}
	case len([]rune(name)) > MaxCostCentreName || strings.ContainsAny(name, "\r\n\t"):
		return CostCentre{}, fault.Fields{"name": fault.M("cost_centre.name.bad", "max", itoa(MaxCostCentreName))}
	}
	var out CostCentre
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := db.InsertCostCentre(ctx, tx, name, a.UserID)
		if errors.Is(err, db.ErrConflict) {
			return fault.Fields{"name": fault.M("cost_centre.name.taken")}
		}
		if err != nil {
			return err
		}
		out = c
		return s.adminAudit(ctx, tx, a, db.ActionCostCentreCreated, "cost_centre:"+itoa64(c.ID), map[string]any{"name": c.Name})
	})
	return out, err
}

// RetireCostCentre stops offering a cost centre (retired) or offers it
// again; orders that name it keep it.
func (s *Service) RetireCostCentre(ctx context.Context, a Actor, id int64, retired bool) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("budget.admins_only")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := db.SetCostCentreRetired(ctx, tx, id, retired)
		if errors.Is(err, db.ErrNotFound) {
			return notFound("cost_centre.not_found", err)
		}
		if err != nil {
			return err
		}
		action := db.ActionCostCentreRestored
		if retired {
			action = db.ActionCostCentreRetired
		}
		return s.adminAudit(ctx, tx, a, action, "cost_centre:"+itoa64(c.ID), map[string]any{"name": c.Name})
	})
}

// Budgets lists every budget with its use this period.
func (s *Service) Budgets(ctx context.Context) ([]BudgetUse, error) {
	accounts, err := db.ListBudgetAccountIDs(ctx, s.pool)
	if err != nil || len(accounts) == 0 {
		return nil, err
	}
	return db.BudgetUses(ctx, s.pool, accounts, nil, 0)
}

// BudgetsOfAccount lists one account's budgets with their use.
func (s *Service) BudgetsOfAccount(ctx context.Context, accountID int64) ([]BudgetUse, error) {
	return db.BudgetUses(ctx, s.pool, []int64{accountID}, nil, 0)
}

// CreateBudget adds a budget, for an admin, with its audit event.
func (s *Service) CreateBudget(ctx context.Context, a Actor, in BudgetInput) (int64, error) {
	if !a.Has(auth.RoleAdmin) {
		return 0, forbidden("budget.admins_only")
	}
	if err := checkBudget(in, true); err != nil {
		return 0, err
	}
	var id int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if in.CostCentreID != 0 {
			if _, err := db.GetCostCentre(ctx, tx, in.CostCentreID); errors.Is(err, db.ErrNotFound) {
				return fault.Fields{"cost_centre_id": fault.M("cost_centre.not_found")}
			} else if err != nil {
				return err
			}
		}
		if _, err := db.GetTencentCloudAccount(ctx, tx, in.AccountID); errors.Is(err, db.ErrNotFound) {
			return fault.Fields{"account_id": fault.M("budget.account.missing")}
		} else if err != nil {
			return err
		}
		b, err := db.InsertBudget(ctx, tx, in, a.UserID)
		if errors.Is(err, db.ErrConflict) {
			return fault.Fields{"period": fault.M("budget.exists")}
		}
		if err != nil {
			return err
		}
		id = b.ID
		return s.adminAudit(ctx, tx, a, db.ActionBudgetCreated, "budget:"+itoa64(b.ID), budgetDetails(b))
	})
	return id, err
}

// UpdateBudget changes a budget's limit and whether it blocks, for an
// admin, with its audit event naming the old values.
func (s *Service) UpdateBudget(ctx context.Context, a Actor, id, limitFen int64, block bool) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("budget.admins_only")
	}
	if err := checkBudget(BudgetInput{LimitFen: limitFen}, false); err != nil {
		return err
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The budget's lock: an approval counting against it waits, and
		// counts against the new limit.
		old, err := db.LockBudget(ctx, tx, id)
		if errors.Is(err, db.ErrNotFound) {
			return notFound("budget.not_found", err)
		}
		if err != nil {
			return err
		}
		b, err := db.UpdateBudget(ctx, tx, id, limitFen, block)
		if err != nil {
			return err
		}
		d := budgetDetails(b)
		d["from_limit_fen"], d["from_block_over_budget"] = old.LimitFen, old.BlockOverBudget
		return s.adminAudit(ctx, tx, a, db.ActionBudgetUpdated, "budget:"+itoa64(id), d)
	})
}

// DeleteBudget removes a budget, for an admin, with its audit event.
func (s *Service) DeleteBudget(ctx context.Context, a Actor, id int64) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("budget.admins_only")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := db.LockBudget(ctx, tx, id); errors.Is(err, db.ErrNotFound) {
			return notFound("budget.not_found", err)
		} else if err != nil {
			return err
		}
		b, err := db.DeleteBudget(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.adminAudit(ctx, tx, a, db.ActionBudgetDeleted, "budget:"+itoa64(id), budgetDetails(b))
	})
}

func checkBudget(in BudgetInput, isNew bool) error {
	fe := fault.Fields{}
	if isNew {
		if in.AccountID <= 0 {
			fe["account_id"] = fault.M("budget.account.missing")
		}
		if !slices.Contains(BudgetPeriods, in.Period) {
			fe["period"] = fault.M("budget.period.bad")
		}
	}
	if in.LimitFen < 0 || in.LimitFen > MaxPriceFen {
		fe["limit"] = fault.M("budget.limit.bad")
	}
	return fe.OrNil()
}

func budgetDetails(b db.Budget) map[string]any {
	return map[string]any{"account_id": b.AccountID, "cost_centre_id": b.CostCentreID, "period": b.Period,
		"limit_fen": b.LimitFen, "block_over_budget": b.BlockOverBudget}
}

// adminAudit appends an event about something other than an order.
func (s *Service) adminAudit(ctx context.Context, tx db.DBTX, a Actor, action, subject string, details map[string]any) error {
	if a.Via != "" {
		details["via"] = a.Via
	}
	_, err := db.AppendAudit(ctx, tx, db.AuditEvent{
		Actor: actorName(a), Action: action, Subject: subject,
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	})
	return err
}
