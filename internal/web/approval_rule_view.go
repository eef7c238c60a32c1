package web

import (
	"dealdesk/internal/i18n"
	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// approvalRuleView lays out the rule an order is held to for its page, and
// why the viewer may not decide now, if they may not.
func approvalRuleView(l *i18n.Localizer, st orders.ApprovalState) (*templates.ApprovalRuleView, string) {
	if st.Rule == nil {
		return nil, ""
	}
	r := st.Rule
	row := ruleRow(l, r.Rule)
	v := &templates.ApprovalRuleView{
		Name: row.Name, Condition: r.Condition, Skipped: r.Skipped, Separate: r.SeparateRequesterGroups,
		ExcludeAdmins: r.ExcludeAdmins, ValidFor: row.ValidFor,
	}
	if r.Facts.Product != "" {
		v.Facts = factRows(r.Facts)
	}
	for _, s := range st.Stages {
		v.Stages = append(v.Stages, templates.ApprovalStageView{
			Number: s.Number, Label: stageText(l, s.Stage), Approvals: s.Approvals, Count: s.Count,
			Approvers: s.Approvers, Done: s.Done, Current: s.Current,
		})
	}
	why := ""
	if st.CannotDecide.Key != "" {
		why = st.CannotDecide.String()
	}
	return v, why
}
