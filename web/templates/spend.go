package templates

import "strconv"

// SpendBar is one bar of a spend chart and one row of its table.
type SpendBar struct {
	Label  string
	Amount string // CNY
	// Width is the bar's length in the chart's units (0..BarMax).
	Width int
}

// BarMax is the longest bar of a spend chart, in its viewBox units.
const BarMax = 300

// SpendChart is a horizontal bar chart drawn on the server, with a title
// and description for screen readers; the page shows the same data as a
// table beside it.
type SpendChart struct {
	ID    string
	Title string
	Desc  string
	Bars  []SpendBar
}

func (c SpendChart) height() string  { return strconv.Itoa(len(c.Bars)*24 + 8) }
func (c SpendChart) viewBox() string { return "0 0 600 " + c.height() }
func barY(i int) string              { return strconv.Itoa(i*24 + 4) }
func textY(i int) string             { return strconv.Itoa(i*24 + 20) }
func barEnd(w int) string            { return strconv.Itoa(160 + w + 6) }

// SpendOrderRow is an order the spend page lists.
type SpendOrderRow struct {
	ID         int64
	Title      string
	Product    string
	BoughtAt   string
	Amount     string
	Billed     bool // the amount is the bill's, not the estimate
	Differs    bool
	CostCentre string
}

// SpendView is the spend page of an account, or of one cost centre's
// orders of it.
type SpendView struct {
	Page
	Accounts   []Option
	Centres    []Option
	AccountID  string
	CentreID   string
	Chosen     bool
	Heading    string
	Total      string
	Unpriced   int
	ByMonth    SpendChart
	ByProduct  SpendChart
	Budgets    []BudgetRow
	Largest    []SpendOrderRow
	ExportPath string // the query of the exports, with their filters
}
