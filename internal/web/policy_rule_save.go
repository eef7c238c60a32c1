package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
	"dealdesk/web/templates"
)

// ruleInput reads the rule form through the input boundary, keeping what
// was typed for the form again.
func ruleInput(c echo.Context, policyID, ruleID int64) (orders.RuleInput, templates.RuleFormView, map[string]string, error) {
	r, err := readForm(c)
	if err != nil {
		return orders.RuleInput{}, templates.RuleFormView{}, nil, err
	}
	form := templates.RuleFormView{PolicyID: policyID, RuleID: ruleID}
	form.Name = r.text("name", line(orders.MaxRuleNameLen).named("field.what.name"))
	form.Condition = r.text("condition", lines(orders.MaxRuleConditionLen).named("field.what.condition"))
	in := orders.RuleInput{Name: form.Name, Condition: form.Condition}
	for i := range templates.RuleStageInputs {
		n := strconv.Itoa(i + 1)
		group, graw := r.id("stage_group_"+n, "field.choose_group_or_anyone")
		form.StageGroups[i] = graw
		count, craw := 0, r.text("stage_count_"+n, line(maxShortText))
		form.StageCounts[i] = craw
		if craw == "" {
			continue
		}
		count, _ = r.number("stage_count_"+n, 1, orders.MaxRequiredApprovers, "field.stage_count")
		in.Stages = append(in.Stages, orders.Stage{GroupID: group, Count: count})
	}
	form.AutoSend, form.Separate, form.ExcludeAdmins = r.flag("auto_send"), r.flag("separate"), r.flag("exclude_admins")
	in.AutoSend, in.SeparateRequesterGroups, in.ExcludeAdmins = form.AutoSend, form.Separate, form.ExcludeAdmins
	form.ValidHours = r.text("valid_hours", line(maxShortText))
	if form.ValidHours != "" {
		hours, _ := r.number("valid_hours", 1, orders.MaxRuleValidSeconds/3600, "field.valid_hours")
		in.ValidForSeconds = hours * 3600
		if msg, ok := r.errs["valid_hours"]; ok {
			r.errs["valid_for"] = msg
		}
	}
	return in, form, r.errs, nil
}

// ruleSave adds (ruleID 0) or replaces a rule, or shows the form again
// with what is wrong (422, nothing saved).
func (s *Server) ruleSave(c echo.Context, p orders.Policy, ruleID int64) error {
	in, form, errs, err := ruleInput(c, p.ID, ruleID)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		_, err = s.rules.SaveRule(c.Request().Context(), s.ordersActor(c), p.ID, ruleID, in)
		errs = fieldTexts(c, err)
	}
	if len(errs) > 0 {
		form.Errors = errs
		if ruleID == 0 {
			v, verr := s.rulesView(c, p, form)
			if verr != nil {
				return verr
			}
			return render(c, http.StatusUnprocessableEntity, templates.PolicyRules(v))
		}
		groups, gerr := s.groupOptions(c)
		if gerr != nil {
			return gerr
		}
		form.Groups = groups
		return render(c, http.StatusUnprocessableEntity, templates.RuleEdit(templates.RuleEditView{Page: s.page(c, tr(c, "rules.rule")), Scope: policyScope(c, p), Form: form}))
	}
	if err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.rule_saved", "name", in.Name)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID)+"/rules")
}

// pathRule reads the policy and the rule id the path names; a malformed or
// missing one is a 404.
func (s *Server) pathRule(c echo.Context) (orders.Policy, int64, error) {
	p, err := s.pathPolicy(c)
	if err != nil {
		return orders.Policy{}, 0, err
	}
	id, err := pathID(c, "rule")
	if err != nil {
		return orders.Policy{}, 0, err
	}
	return p, id, nil
}

// ruleCreate appends a rule to a policy.
func (s *Server) ruleCreate(c echo.Context) error {
	p, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	return s.ruleSave(c, p, 0)
}

// ruleUpdate replaces a rule.
func (s *Server) ruleUpdate(c echo.Context) error {
	p, id, err := s.pathRule(c)
	if err != nil {
		return err
	}
	return s.ruleSave(c, p, id)
}

// ruleEdit shows one rule's form.
func (s *Server) ruleEdit(c echo.Context) error {
	p, id, err := s.pathRule(c)
	if err != nil {
		return err
	}
	for _, r := range p.Rules {
		if r.ID != id {
			continue
		}
		form := templates.RuleFormView{PolicyID: p.ID, RuleID: r.ID, Name: r.Name, Condition: r.Condition, AutoSend: r.AutoSend,
			Separate: r.SeparateRequesterGroups, ExcludeAdmins: r.ExcludeAdmins}
		for i, st := range r.Stages {
			if st.GroupID != 0 {
				form.StageGroups[i] = strconv.FormatInt(st.GroupID, 10)
			}
			form.StageCounts[i] = strconv.Itoa(st.Count)
		}
		if r.ValidForSeconds > 0 {
			form.ValidHours = strconv.Itoa(r.ValidForSeconds / 3600)
		}
		groups, err := s.groupOptions(c)
		if err != nil {
			return err
		}
		form.Groups = groups
		return render(c, http.StatusOK, templates.RuleEdit(templates.RuleEditView{Page: s.page(c, tr(c, "rules.rule_named", "name", r.Name)), Scope: policyScope(c, p), Form: form}))
	}
	return echo.ErrNotFound
}

// ruleDelete removes a rule.
func (s *Server) ruleDelete(c echo.Context) error {
	p, id, err := s.pathRule(c)
	if err != nil {
		return err
	}
	if err := s.rules.DeleteRule(c.Request().Context(), s.ordersActor(c), p.ID, id); err != nil {
		return err
	}
	if err := s.flash(c, "ok", tr(c, "flash_words.rule_deleted")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID)+"/rules")
}

// ruleMove moves a rule up or down the list.
func (s *Server) ruleMove(c echo.Context) error {
	p, id, err := s.pathRule(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	dir := r.choice("direction", "field.move_up_down", "up", "down")
	if !r.ok() || dir == "" {
		return &SafeError{Status: http.StatusBadRequest, Safe: "Move the rule up or down."}
	}
	if err := s.rules.MoveRule(c.Request().Context(), s.ordersActor(c), p.ID, id, dir == "up"); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, policyPath(p.ID)+"/rules")
}
