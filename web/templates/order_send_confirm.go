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
	// Approve, when set, makes this the confirmation of an approval that
	// buys at once ("Approve and buy"): the form posts the approval with
	// the fields the approval page carried.
	Approve *ApproveConfirm
}

// ApproveConfirm is what an "Approve and buy" confirmation carries back:
// the approval form's own fields, as the approver filled them.
type ApproveConfirm struct {
	Comment         string
	NotDuplicate    bool
	Estimate        string
	DuplicatesShown string
}

func (v SendConfirmView) path() string {
	if v.Approve != nil {
		return OrderPath(v.OrderID) + "/approve"
	}
	return OrderPath(v.OrderID) + "/send"
}

// back is where "Not now" leads: the page the person came from.
func (v SendConfirmView) back() string {
	if v.Approve != nil {
		return OrderPath(v.OrderID) + "/approval"
	}
	return OrderPath(v.OrderID)
}

func (v SendConfirmView) version() string { return strconv.Itoa(v.Version) }
