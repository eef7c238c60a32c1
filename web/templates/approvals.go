package templates

import (
	"strconv"
	"strings"
	"time"
)

// ApprovalOrder is an order as its approval page summarises it.
type ApprovalOrder struct {
	ID            int64
	Title         string
	Product       string // label, such as "CloudBase (TCB)"
	Account       string
	Region        string
	Requester     string
	Justification string
	Status        string
	StatusLabel   string
	Version       int
	ParamsSHA256  string
	// Params are the canonical parameters, indented for reading.
	Params string
	// Summary is the order in a buyer's words, shown first.
	Summary OrderSummaryView
}

// ApprovalPageView is the page /orders/:id/approval: the order as approvers
// judge it, and its ApprovalPanel.
type ApprovalPageView struct {
	Page
	Order ApprovalOrder
	Panel ApprovalPanelView
	// Funds is the funds check, for someone who may decide; nil otherwise.
	Funds *FundsView
	// Back is the list the back link leads to: the inbox for approvers,
	// the orders list for everyone else (who may not open the inbox).
	Back NavLink
	// SendNow offers "Send now" once the order is approved, its policy
	// sends by hand and the viewer may send it; Follow links to the
	// order's page when it is being sent (its outcome shows there).
	SendNow bool
	Follow  bool
}

// NavLink is a link's address and words.
type NavLink struct {
	Href string
	Text string
}

// FundsView is the funds check: the balance, less what is approved and not
// yet sent, against this order's estimate. Amounts are written as CNY.
type FundsView struct {
	// Problem, when set, says why there is no balance; nothing else is shown.
	Problem   string
	Balance   string
	AsOf      string
	Committed string
	Unpriced  int
	Available string
	Estimate  string
	// Enough is false when the estimate exceeds what is available, or the
	// order has no estimate.
	Enough bool
}

// ApprovalPanelView is everything about an order's approval one person may
// see and do. The order view can embed ApprovalPanel with it.
type ApprovalPanelView struct {
	OrderID   int64
	CSRFToken string
	// ApprovalExpired is when the approvals of this version expired and
	// sent the order back for approval (zero: they did not);
	// ApprovalExpires is when an approved order's approval will (zero: it
	// does not expire).
	ApprovalExpired time.Time
	ApprovalExpires time.Time
	// DeliverAt is when the order is to be bought, on or after (zero: as
	// soon as it is sent). Delivery is the order page's form to set or
	// clear it, or cancel its scheduled send (nil elsewhere, and for
	// viewers who may not).
	DeliverAt time.Time
	Delivery  *DeliveryForm
	// Status is the raw status (for tests and styling), StatusLabel its words.
	Status       string
	StatusLabel  string
	Version      int
	ParamsSHA256 string
	// Estimate is what the order should cost; approving approves it too
	// (the form carries its total back).
	Estimate EstimateView
	// Budget is the order's tightest budget before and after it; nil when
	// no budget applies.
	Budget      *BudgetView
	Approvals   int
	Required    int
	PolicyScope string
	AutoSend    bool
	// ApproveBuys: the viewer's approval completes the order and it is
	// sent at once, so the button says "Approve and buy".
	ApproveBuys bool
	Decisions   []ApprovalDecision
	// Baseline is the version Changes compare with; 0: nothing to compare.
	Baseline       int
	BaselineIsMine bool
	Changes        []ApprovalChange
	IsRequester    bool
	// MyDecision is the viewer's decision on the current version, if any.
	MyDecision *ApprovalDecision
	CanDecide  bool
	CanSubmit  bool
	// CanWithdraw and CanCancel are the requester's (and an admin's) buttons.
	CanWithdraw bool
	CanCancel   bool
	// Duplicates are the orders that may already buy what this one buys;
	// approving then needs the box "I have checked this is not a duplicate".
	Duplicates []ApprovalDuplicate
	// Comment, NotDuplicate, Errors and FormError come back after a refused
	// decision.
	Comment      string
	NotDuplicate bool
	Errors       map[string]string
	FormError    string
	// Rule is the rule the order is held to, nil before it is submitted;
	// CannotDecide says why the viewer may not decide in the waiting stage.
	Rule         *ApprovalRuleView
	CannotDecide string
}

// ApprovalDuplicate is an order that may already buy the same.
type ApprovalDuplicate struct {
	ID          int64
	Title       string
	Status      string
	StatusLabel string
	When        time.Time
	// SamePurchase: the same parameters (ClientToken aside); SameTarget:
	// the same instance or environment.
	SamePurchase bool
	SameTarget   bool
	// Blocks: it is being sent or its outcome is unknown.
	Blocks bool
}

// duplicateIDs is the list of ids the decision form says it showed.
func (p ApprovalPanelView) duplicateIDs() string {
	ids := make([]string, len(p.Duplicates))
	for i, d := range p.Duplicates {
		ids[i] = strconv.FormatInt(d.ID, 10)
	}
	return strings.Join(ids, ",")
}

func (d ApprovalDuplicate) why() string {
	switch {
	case d.SamePurchase && d.SameTarget:
		return "same purchase, same target"
	case d.SamePurchase:
		return "same purchase"
	default:
		return "same target"
	}
}

// ApprovalDecision is one decision in the list.
type ApprovalDecision struct {
	Approver  string
	Decision  string // "approve" or "reject"
	Comment   string
	Version   int
	DecidedAt time.Time
	// Current is true when it is on the current version and hash, so counts.
	Current bool
}

// ApprovalChange is one row of the diff between two versions.
type ApprovalChange struct {
	Field, Before, After string
	// Label, Was and Now are the change in the summary's words
	// ("Internet bandwidth", "25 Mbps", "50 Mbps"); the raw row follows.
	Label, Was, Now string
}

func (p ApprovalPanelView) path(action string) string {
	return "/orders/" + strconv.FormatInt(p.OrderID, 10) + "/" + action
}

func (p ApprovalPanelView) progress() string {
	return strconv.Itoa(p.Approvals) + " of " + strconv.Itoa(p.Required)
}

// verb is the catalog key of the decision's word in the decisions table.
func (d ApprovalDecision) verb() string {
	if d.Decision == "reject" {
		return "approval.decision_rejected"
	}
	return "approval.decision_approved"
}

// pastTense is the catalog key of "you rejected" / "you approved".
func (d ApprovalDecision) pastTense() string {
	if d.Decision == "reject" {
		return "approval.past_rejected"
	}
	return "approval.past_approved"
}

// ApprovalInboxView is an approver's list of orders waiting for them.
type ApprovalInboxView struct {
	Page
	Items []ApprovalInboxItem
}

// ApprovalInboxItem is one order waiting for the viewer's decision.
type ApprovalInboxItem struct {
	OrderID   int64
	Title     string
	Product   string
	Account   string
	Requester string
	Version   int
	Since     time.Time
	Approvals int
	Required  int
	// Summary is what the order buys, in a buyer's words.
	Summary    string
	Estimate   string
	OverBudget bool
}

func (i ApprovalInboxItem) path() string {
	return "/orders/" + strconv.FormatInt(i.OrderID, 10) + "/approval"
}

// ApprovalRuleView is the rule an order is held to, as its page shows it:
// which rule, why it applied, and its stages with who approved in each.
type ApprovalRuleView struct {
	Name      string // "" for the policy's Otherwise
	Condition string
	// Skipped are the rules before it whose conditions did not hold.
	Skipped []string
	// Facts are what the condition read when the order was submitted.
	Facts         []FactRow
	Stages        []ApprovalStageView
	Separate      bool
	ExcludeAdmins bool
	ValidFor      string
}

// ApprovalStageView is one stage of the rule.
type ApprovalStageView struct {
	Number    int
	Label     string // "1 from finance"
	Approvals int
	Count     int
	Approvers []string
	Done      bool
	Current   bool
}

// DeliveryForm is the order page's delivery date: a form to set or clear
// it (in the viewer's zone) while no send is queued, or the button that
// takes back a scheduled send before it starts.
type DeliveryForm struct {
	// Value is the date in the form's datetime-local layout.
	Value string
	// Scheduled says a send waits for the date: only Cancel is offered.
	Scheduled bool
}
