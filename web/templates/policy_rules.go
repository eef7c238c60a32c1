package templates

import "strconv"

// RuleRow is one rule of a policy as its rules page lists it.
type RuleRow struct {
	ID        int64
	Position  int
	Name      string
	Condition string
	// Stages are "1 from finance", in order.
	Stages        []string
	AutoSend      bool
	Separate      bool
	ExcludeAdmins bool
	// ValidFor is "7 days", "" when approvals stay valid until sent.
	ValidFor string
}

// RuleStageInputs is how many stage rows the rule form offers.
const RuleStageInputs = 5

// RuleFormView adds a rule (RuleID 0) or edits one.
type RuleFormView struct {
	PolicyID, RuleID int64
	Name, Condition  string
	// StageGroups and StageCounts are the stage rows as typed; a group ""
	// is anyone with the approver role, a count "" an unused row.
	StageGroups   [RuleStageInputs]string
	StageCounts   [RuleStageInputs]string
	AutoSend      bool
	Separate      bool
	ExcludeAdmins bool
	ValidHours    string
	Groups        []Option
	Errors        map[string]string
}

func (v RuleFormView) action() string {
	p := rulesPath(v.PolicyID)
	if v.RuleID != 0 {
		p += "/" + strconv.FormatInt(v.RuleID, 10)
	}
	return p
}

func rulesPath(policyID int64) string {
	return "/admin/policies/" + strconv.FormatInt(policyID, 10) + "/rules"
}

// FactRow is one fact a condition read, for the test box.
type FactRow struct{ Name, Value string }

// RuleTestView is the "test this rule" box: a condition and an order, and
// when run, what it found.
type RuleTestView struct {
	Condition, OrderID string
	Ran                bool
	Matches            bool
	// Decides names the rule of the policy that would hold the order now.
	Decides string
	Facts   []FactRow
	Errors  map[string]string
}

// PolicyRulesView is a policy's rules: the list in order, Otherwise last,
// the form that adds one, the variables conditions may use and the test box.
type PolicyRulesView struct {
	Page
	PolicyID  int64
	Scope     string
	Rules     []RuleRow
	Otherwise RuleRow
	Variables []FactRow
	Form      RuleFormView
	Test      RuleTestView
}

// RuleEditView edits one rule.
type RuleEditView struct {
	Page
	Scope string
	Form  RuleFormView
}
