package templates

import "strconv"

// SendConfirmView is the page that confirms a purchase before it is made:
// what, with which account, at what cost, approved by whom, and the
// version and hash the purchase form carries.
type SendConfirmView struct {
	Page
	OrderID      int64
	Title        string
	Summary      OrderSummaryView
	Account      string
	Approvers    []string
	Version      int
	ParamsSHA256 string
	// EstimatedCost is the price the console expects, when it knows one;
	// empty says it does not.
	EstimatedCost string
}

func (v SendConfirmView) path() string { return OrderPath(v.OrderID) + "/send" }

func (v SendConfirmView) version() string { return strconv.Itoa(v.Version) }
