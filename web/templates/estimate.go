package templates

// EstimateView is an order's estimate as the pages show it: amounts already
// written as CNY (the domain's one formatter), line by line.
type EstimateView struct {
	// Total is "1,234.00 CNY" or "no estimate".
	Total string
	// Seen is the domain's own text of the total (Estimate.String), which
	// an approval posts back to prove which amount the approver saw.
	Seen string
	// Priced is false when a line is unpriced; Unavailable when the order
	// was never priced (older than the price list).
	Priced      bool
	Unavailable bool
	PriceList   int64
	Lines       []EstimateLineView
}

// EstimateLineView is one purchase line.
type EstimateLineView struct {
	What    string // "waf premium × 1"
	Term    string // "1 month", "12 months", "once"
	Monthly string // "3,280.00 CNY a month" or "not in the price list"
	Amount  string
	Priced  bool
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
