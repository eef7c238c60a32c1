package templates

import "strconv"

// BudgetRow is a budget as the admin page and the spend pages list it:
// amounts already written as CNY.
type BudgetRow struct {
	ID          int64
	Account     string
	AccountID   int64
	CostCentre  string // "" for the whole account
	Period      string // month, quarter, year
	PeriodRange string // "2026-11-01 – 2026-11-30"
	Limit       string
	LimitYuan   string // the limit as the edit field shows it: 50000.00
	Spent       string
	Committed   string
	Requested   string
	Left        string
	// UsedPercent is spent and committed against the limit, 0..100 for the
	// meter; Over says they exceed it.
	UsedPercent int
	Over        bool
	Block       bool
	// Unpriced counts the budget's orders with no amount at all.
	Unpriced int
}

func (b BudgetRow) path() string { return "/admin/budgets/" + strconv.FormatInt(b.ID, 10) }

// CostCentreRow is a cost centre on the admin page.
type CostCentreRow struct {
	ID      int64
	Name    string
	Retired bool
}

func (c CostCentreRow) path() string { return "/admin/cost-centres/" + strconv.FormatInt(c.ID, 10) }

// BudgetForm is what the new-budget form holds, as typed.
type BudgetForm struct {
	AccountID, CostCentreID, Period, Limit string
	Block                                  bool
	Errors                                 map[string]string
}

// BudgetsView is the admins' page of budgets and cost centres.
type BudgetsView struct {
	Page
	CanEdit     bool
	Budgets     []BudgetRow
	CostCentres []CostCentreRow
	Accounts    []Option
	// Centres are the cost centres a budget or an order may name now (not
	// retired), with the empty choice first.
	Centres    []Option
	Periods    []Option
	Form       BudgetForm
	FormError  string
	CentreName string
	// CentreError is the new cost centre form's problem.
	CentreError string
}

// editToken is the CSRF token when the viewer may edit, else "".
func editToken(canEdit bool, token string) string {
	if canEdit {
		return token
	}
	return ""
}

// BudgetView is an order's budget as its pages show it: what is left
// before and after this order. Amounts are written as CNY.
type BudgetView struct {
	// Name says which budget: the account, the cost centre, the period.
	Name        string
	PeriodRange string
	Limit       string
	Spent       string
	Committed   string
	Requested   string
	LeftBefore  string
	Estimate    string
	LeftAfter   string
	// Over: this order would take the budget past its limit; Blocks: the
	// budget refuses approvals that would.
	Over   bool
	Blocks bool
	Priced bool
}

// BillView is a succeeded order's bill beside its estimate. Amounts are
// written as CNY.
type BillView struct {
	// Found is false while the bill is not read yet (Reason says why).
	Found    bool
	Reason   string
	Estimate string
	Billed   string
	List     string
	Discount string
	Voucher  string
	// Differs: the billed amount is further from the estimate than the
	// tolerance (Tolerance, "1%").
	Differs   bool
	Tolerance string
}

// BillDifferingItem is an order billed differently from its estimate, on
// the admins' home page.
type BillDifferingItem struct {
	OrderID  int64
	Title    string
	Billed   string
	Estimate string
}
