package web

// Tests of the approval rule and approver-group handlers through the small
// interfaces they declare (ruleKeeper, groupKeeper, with policyKeeper for
// the policy a rule belongs to), with a fake: what the handler makes of
// the form, and that a malformed or refused request changes nothing. The
// SQL behind the real implementations is tested in internal/orders.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// fakeRules answers as the test says and records the changes it was asked.
type fakeRules struct {
	saveErr error
	saved   []orders.RuleInput
	changes []string
}

func (f *fakeRules) Policies(context.Context) ([]orders.Policy, error) { return nil, nil }
func (f *fakeRules) Policy(_ context.Context, id int64) (orders.Policy, error) {
	return orders.Policy{ID: id, Product: orders.ProductTCB, RequiredApprovers: 1,
		Rules: []orders.Rule{{ID: 8, Position: 1, Name: "Big", Condition: "estimate_cny > 10000", Stages: []orders.Stage{{Count: 2}}}}}, nil
}
func (f *fakeRules) CheckPolicy(context.Context, orders.PolicyInput) error { return nil }
func (f *fakeRules) SavePolicy(context.Context, orders.Actor, int64, orders.PolicyInput) (orders.Policy, error) {
	return orders.Policy{}, nil
}
func (f *fakeRules) DeletePolicy(context.Context, orders.Actor, int64) error { return nil }
func (f *fakeRules) Accounts(context.Context) ([]orders.AccountChoice, error) {
	return nil, nil
}

func (f *fakeRules) Groups(context.Context) ([]orders.Group, error) {
	return []orders.Group{{ID: 4, Name: "finance"}}, nil
}

func (f *fakeRules) TestRule(context.Context, orders.Actor, int64, string, int64) (orders.RuleTest, error) {
	return orders.RuleTest{}, nil
}

func (f *fakeRules) SaveRule(_ context.Context, _ orders.Actor, policyID, ruleID int64, in orders.RuleInput) (int64, error) {
	f.changes = append(f.changes, fmt.Sprintf("save %d/%d", policyID, ruleID))
	f.saved = append(f.saved, in)
	return ruleID, f.saveErr
}

func (f *fakeRules) DeleteRule(_ context.Context, _ orders.Actor, policyID, ruleID int64) error {
	f.changes = append(f.changes, fmt.Sprintf("delete %d/%d", policyID, ruleID))
	return nil
}

func (f *fakeRules) MoveRule(_ context.Context, _ orders.Actor, policyID, ruleID int64, up bool) error {
	f.changes = append(f.changes, fmt.Sprintf("move %d/%d up=%v", policyID, ruleID, up))
	return nil
}

func (f *fakeRules) Group(_ context.Context, id int64) (orders.Group, []orders.GroupMember, error) {
	return orders.Group{ID: id, Name: "finance"}, nil, nil
}

func (f *fakeRules) SaveGroup(_ context.Context, _ orders.Actor, id int64, name, _ string) (int64, error) {
	f.changes = append(f.changes, fmt.Sprintf("save group %d %s", id, name))
	return id, f.saveErr
}

func (f *fakeRules) DeleteGroup(_ context.Context, _ orders.Actor, id int64) error {
	f.changes = append(f.changes, fmt.Sprintf("delete group %d", id))
	return nil
}

func (f *fakeRules) AddGroupMember(_ context.Context, _ orders.Actor, id int64, username string) error {
	f.changes = append(f.changes, fmt.Sprintf("add %s to %d", username, id))
	return f.saveErr
}

func (f *fakeRules) RemoveGroupMember(_ context.Context, _ orders.Actor, id, user int64) error {
	f.changes = append(f.changes, fmt.Sprintf("remove %d from %d", user, id))
	return nil
}

func rulesServer(f *fakeRules) *Server {
	s := unitServer(&fakeOrders{}, nil)
	s.policies, s.rules, s.groups = f, f, f
	return s
}

func ruleForm(stageCount string) url.Values {
	return url.Values{"name": {"Big"}, "condition": {"estimate_cny > 20000"}, "stage_group_1": {"4"}, "stage_count_1": {stageCount}, "valid_hours": {"48"}}
}

// Creating and replacing a rule read the same form into the same input;
// only the rule id differs.
func TestRuleCreateAndUpdateSaveWhatTheFormSays(t *testing.T) {
	t.Parallel()
	f := &fakeRules{}
	s := rulesServer(f)
	rec := call(s, s.ruleCreate, http.MethodPost, "/admin/policies/5/rules", ruleForm("2"), map[string]string{"id": "5"}, auth.RoleAdmin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/policies/5/rules" {
		t.Fatalf("create: status %d, location %q\n%s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	rec = call(s, s.ruleUpdate, http.MethodPost, "/admin/policies/5/rules/8", ruleForm("2"), map[string]string{"id": "5", "rule": "8"}, auth.RoleAdmin)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("update: status %d\n%s", rec.Code, rec.Body)
	}
	if got := strings.Join(f.changes, "; "); got != "save 5/0; save 5/8" {
		t.Fatalf("changes %q, want a create then an update of rule 8", got)
	}
	want := orders.RuleInput{Name: "Big", Condition: "estimate_cny > 20000", Stages: []orders.Stage{{GroupID: 4, Count: 2}}, ValidForSeconds: 48 * 3600}
	for i, in := range f.saved {
		if fmt.Sprint(in) != fmt.Sprint(want) {
			t.Errorf("save %d: %+v, want %+v", i, in, want)
		}
	}
}

// A count that is not a number is shown beside its field (422) on both
// forms, and nothing is saved; a refusal of the domain is shown the same.
func TestRuleSaveShowsWhatIsWrongAndSavesNothing(t *testing.T) {
	t.Parallel()
	f := &fakeRules{}
	s := rulesServer(f)
	for _, tc := range []struct {
		h      echo.HandlerFunc
		params map[string]string
	}{
		{s.ruleCreate, map[string]string{"id": "5"}},
		{s.ruleUpdate, map[string]string{"id": "5", "rule": "8"}},
	} {
		rec := call(s, tc.h, http.MethodPost, "/admin/policies/5/rules", ruleForm("many"), tc.params, auth.RoleAdmin)
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "many") {
			t.Errorf("%v: status %d, want 422 with what was typed\n%s", tc.params, rec.Code, rec.Body)
		}
	}
	if len(f.changes) != 0 {
		t.Fatalf("a malformed form reached the domain: %v", f.changes)
	}
	f.saveErr = fault.Fields{"name": fault.M("rule.name.missing")}
	rec := call(s, s.ruleUpdate, http.MethodPost, "/admin/policies/5/rules/8", ruleForm("2"), map[string]string{"id": "5", "rule": "8"}, auth.RoleAdmin)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Name the rule") {
		t.Fatalf("refused save: status %d, want 422\n%s", rec.Code, rec.Body)
	}
}

// Moving takes up or down and nothing else; a malformed rule id is a 404.
func TestRuleMoveAndDelete(t *testing.T) {
	t.Parallel()
	f := &fakeRules{}
	s := rulesServer(f)
	if rec := call(s, s.ruleMove, http.MethodPost, "/", url.Values{"direction": {"sideways"}}, map[string]string{"id": "5", "rule": "8"}, auth.RoleAdmin); rec.Code != http.StatusBadRequest {
		t.Errorf("sideways: status %d, want 400", rec.Code)
	}
	if rec := call(s, s.ruleDelete, http.MethodPost, "/", url.Values{}, map[string]string{"id": "5", "rule": "x"}, auth.RoleAdmin); rec.Code != http.StatusNotFound {
		t.Errorf("rule x: status %d, want 404", rec.Code)
	}
	if len(f.changes) != 0 {
		t.Fatalf("a refused request reached the domain: %v", f.changes)
	}
	call(s, s.ruleMove, http.MethodPost, "/", url.Values{"direction": {"up"}}, map[string]string{"id": "5", "rule": "8"}, auth.RoleAdmin)
	call(s, s.ruleDelete, http.MethodPost, "/", url.Values{}, map[string]string{"id": "5", "rule": "8"}, auth.RoleAdmin)
	if got := strings.Join(f.changes, "; "); got != "move 5/8 up=true; delete 5/8" {
		t.Fatalf("changes %q", got)
	}
}

// Adding a member refused by the domain shows the group again (422) with
// the username kept.
func TestGroupMemberAddRefused(t *testing.T) {
	t.Parallel()
	f := &fakeRules{saveErr: fault.Fields{"username": fault.M("group.member.no_such_user", "name", "nobody")}}
	s := rulesServer(f)
	rec := call(s, s.groupMemberAdd, http.MethodPost, "/", url.Values{"username": {"nobody"}}, map[string]string{"id": "4"}, auth.RoleAdmin)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "No user is called nobody.") {
		t.Fatalf("status %d, want 422 keeping the username\n%s", rec.Code, rec.Body)
	}
}
