package templates

// OrderSummaryView is an order in a buyer's words (orders.Summary, read
// into English by the handler): a headline and its facts.
type OrderSummaryView struct {
	Headline string
	Lines    []SummaryLineView
}

// SummaryLineView is one fact of a summary.
type SummaryLineView struct {
	Label, Value string
}
