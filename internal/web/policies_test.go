package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

func TestAdminManagesPolicies(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)

	resp, body := admin.post("/admin/policies", url.Values{"product": {"tcb"}, "required_approvers": {"many"},
		"webhook_url": {"not a url"}, "webhook_format": {"slack"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-required_approvers"`) ||
		!strings.Contains(body, `data-testid="error-webhook_url"`) || !strings.Contains(body, `value="many"`) {
		t.Fatalf("invalid policy: %d\n%s", resp.StatusCode, body)
	}
	hook := "https://hooks.slack.com/services/T0/B0/secret-token"
	resp, _ = admin.post("/admin/policies", url.Values{"product": {"tcb"}, "required_approvers": {"2"}, "auto_send": {"on"},
		"webhook_url": {hook}, "webhook_format": {"slack"}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/admin/policies" {
		t.Fatalf("create: %d to %s", resp.StatusCode, location(resp))
	}
	_, body = admin.get("/admin/policies")
	if !strings.Contains(body, "Slack incoming webhook to hooks.slack.com") || strings.Contains(body, "secret-token") ||
		!strings.Contains(body, "<td>2</td>") {
		t.Fatalf("policy list shows the secret or lacks the policy:\n%s", body)
	}
	ps, _ := orders.NewService(env.pool).Policies(context.Background())
	if len(ps) != 1 || ps[0].RequiredApprovers != 2 || !ps[0].AutoSend || ps[0].WebhookURL != hook {
		t.Fatalf("stored: %+v", ps)
	}
	edit := "/admin/policies/" + itoa(ps[0].ID)
	resp, _ = admin.post(edit, url.Values{"product": {"tcb"}, "required_approvers": {"3"}, "webhook_format": {"generic"}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != edit {
		t.Fatalf("update: %d to %s", resp.StatusCode, location(resp))
	}
	if _, body = admin.get(edit); !strings.Contains(body, `value="3"`) || strings.Contains(body, "auto_send\" value=\"on\" checked") {
		t.Fatalf("edited policy form:\n%s", body)
	}
	if resp, _ = admin.post(edit+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	// With no policy left, the built-in default is still listed, as what
	// applies: one approver, sent automatically.
	_, body = admin.get("/admin/policies")
	if strings.Contains(body, `data-testid="policy-row-`+itoa(ps[0].ID)) || !defaultPolicyRow.MatchString(body) {
		t.Fatalf("after delete:\n%s", body)
	}
}

// defaultPolicyRow is the built-in policy's row: one approver, automatic.
var defaultPolicyRow = regexp.MustCompile(`(?s)data-testid="policy-row-default">.*?<td>1</td>\s*<td>\s*automatic`)
