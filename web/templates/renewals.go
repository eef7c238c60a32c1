package templates

import "time"

// RenewalRow is one instance on the Renewals page.
type RenewalRow struct {
	Target    string
	Product   string
	Expires   time.Time
	DaysLeft  int
	AutoRenew bool
	// Estimate is the renewal's estimated cost ("no estimate" when the
	// price list does not price it).
	Estimate string
	// OrderID is the order that bought or last renewed it; RenewalID the
	// renewal drafted for this expiry (0: none yet).
	OrderID   int64
	RenewalID int64
}

// RenewalGroup is the instances of one account and cost centre.
type RenewalGroup struct {
	Account    string
	CostCentre string
	Rows       []RenewalRow
}

// RenewalsView is the Renewals page: what expires within Within days.
type RenewalsView struct {
	Page
	Within int
	// Choices are the windows offered (30, 60, 90 days).
	Choices []int
	Groups  []RenewalGroup
	// OwnOnly says the reader sees only their own purchases.
	OwnOnly bool
}
