package templates

import (
	"strconv"
	"time"
)

// OrderRow is an order as lists show one.
type OrderRow struct {
	ID    int64
	Title string
	// Summary is what the order buys, in words (the domain's headline).
	Summary      string
	ProductLabel string
	Status       string
	StatusLabel  string
	Version      int
	UpdatedAt    time.Time
	// CreatedAt, Account and Requester are filled by the orders history.
	CreatedAt time.Time
	Account   string
	Requester string
	// Estimate is the stored estimate's total ("no estimate", "—").
	Estimate string
	// OverBudget: the order would take one of its budgets past its limit.
	OverBudget bool
}

// OrderPath is the order's page.
func OrderPath(id int64) string { return "/orders/" + strconv.FormatInt(id, 10) }
