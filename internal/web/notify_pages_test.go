package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// A webhook's signing secret is set, replaced and removed from the
// policy's page, which says only "set" or "not set": the secret never
// comes back to a browser, and every change is audited without it.
func TestAWebhookSecretIsSetButNeverShown(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	resp, _ := admin.post("/admin/policies", url.Values{"product": {"tcb"}, "required_approvers": {"1"},
		"webhook_url": {"https://hooks.example.com/dealdesk"}, "webhook_format": {"dingtalk"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	ps, _ := orders.NewService(env.pool).Policies(context.Background())
	if len(ps) != 1 || ps[0].WebhookFormat != orders.WebhookDingTalk {
		t.Fatalf("stored: %+v", ps)
	}
	page := "/admin/policies/" + itoa(ps[0].ID)
	if _, body := admin.get(page); !strings.Contains(body, "Not set.") {
		t.Fatalf("a new policy's secret state:\n%s", body)
	}
	// Too short: 422, nothing stored.
	resp, body := admin.post(page+"/secret", url.Values{"webhook_secret": {"short"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-webhook_secret"`) {
		t.Fatalf("short secret: %d\n%s", resp.StatusCode, body)
	}
	const secret = "SEC0123456789abcdef-canary-secret"
	if resp, _ = admin.post(page+"/secret", url.Values{"webhook_secret": {secret}}); resp.StatusCode != http.StatusSeeOther || location(resp) != page {
		t.Fatalf("set: %d to %s", resp.StatusCode, location(resp))
	}
	_, body = admin.get(page)
	if !strings.Contains(body, "Set. ") || strings.Contains(body, secret) || strings.Contains(body, "canary") {
		t.Fatalf("after set, the page shows the secret or not its state:\n%s", body)
	}
	if resp, _ = admin.post(page+"/secret", url.Values{"remove": {"on"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if _, body = admin.get(page); !strings.Contains(body, "Not set.") {
		t.Fatalf("after remove:\n%s", body)
	}
	var set, removed, leaks int
	if err := env.pool.QueryRow(context.Background(), `SELECT
		count(*) FILTER (WHERE action = 'webhook_secret.set'), count(*) FILTER (WHERE action = 'webhook_secret.removed'),
		count(*) FILTER (WHERE details::text LIKE '%canary%') FROM audit_events`).Scan(&set, &removed, &leaks); err != nil {
		t.Fatal(err)
	}
	if set != 1 || removed != 1 || leaks != 0 {
		t.Errorf("audit: %d set, %d removed, %d holding the secret; want 1, 1, 0", set, removed, leaks)
	}
}

// A person's preferences are their own: saved from their page, audited,
// and a choice that is not offered is a 422 that changes nothing.
func TestAPersonChoosesTheirNotifications(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	bob, u := env.loggedIn("bob", auth.RoleApprover)
	_, body := bob.get("/account/notifications")
	if !strings.Contains(body, `data-testid="pref-needs_approval"`) || !strings.Contains(body, `data-testid="notifications-no-address"`) {
		t.Fatalf("preferences page:\n%s", body)
	}
	resp, body := bob.post("/account/notifications", url.Values{"pref_needs_approval": {"sms"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-pref-needs_approval"`) {
		t.Fatalf("bad choice: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = bob.post("/account/notifications", url.Values{"pref_needs_approval": {"none"}, "pref_unknown": {"email"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	doc := bob.page("/account/notifications")
	if v, _ := doc.Find(`[data-testid="pref-needs_approval"] option[selected]`).Attr("value"); v != "none" {
		t.Errorf("needs approval shows %q after choosing none", v)
	}
	var audited int
	if err := env.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = 'notification_preferences.updated' AND actor = $1::bigint::text
		AND details->'channels'->>'needs_approval' = 'none' AND NOT details->'channels' ? 'unknown'`, u.ID).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d audit events naming the one change, want 1", audited)
	}
}

// The delivery log lists each message with its channel, status, attempts
// and last error, never a webhook's address; its resend button queues the
// message again, audited.
func TestAdminsReadTheDeliveryLogAndResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newEnv(t)
	admin, root := env.loggedIn("root", auth.RoleAdmin)
	var pid, did int64
	if err := env.pool.QueryRow(ctx, `INSERT INTO approval_policies (product, required_approvers, webhook_url, webhook_format)
		VALUES ('tcb', 1, 'https://oapi.dingtalk.com/robot/send?access_token=canary-token', 'dingtalk') RETURNING id`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if err := env.pool.QueryRow(ctx, `INSERT INTO deliveries (event, channel, policy_id, notice, status, attempts, last_error)
		VALUES ('unknown', 'webhook', $1, $2, 'failed', 10, 'http_status:502') RETURNING id`,
		pid, `{"Event":"unknown","PolicyID":`+itoa(pid)+`,"OrderID":0}`).Scan(&did); err != nil {
		t.Fatal(err)
	}
	doc := admin.page("/admin/deliveries")
	row := doc.Find(`[data-testid="delivery-row-` + itoa(did) + `"]`)
	if text := row.Text(); !strings.Contains(text, "outcome unknown") || !strings.Contains(text, "DingTalk group robot") ||
		row.Find(`[data-testid="delivery-error-`+itoa(did)+`"]`).Text() != "The webhook answered HTTP 502." || row.Find(`[data-testid="delivery-attempts-`+itoa(did)+`"]`).Text() != "10" {
		t.Fatalf("delivery row: %q", text)
	}
	if html, _ := doc.Html(); strings.Contains(html, "canary-token") {
		t.Error("the delivery log shows the webhook's address")
	}
	// The log keeps a failure's kind, never an error's text (which may
	// carry a URL's token): the table refuses text, and a kind this
	// console does not know reads as "other".
	if _, err := env.pool.Exec(ctx, `UPDATE deliveries SET last_error = 'jobs: webhook to https://x/?access_token=canary-token failed' WHERE id = $1`, did); err == nil {
		t.Error("the deliveries table took an error's text")
	}
	if _, err := env.pool.Exec(ctx, `UPDATE deliveries SET last_error = 'from_a_newer_console:7' WHERE id = $1`, did); err != nil {
		t.Fatal(err)
	}
	if got := admin.page("/admin/deliveries").Find(`[data-testid="delivery-error-` + itoa(did) + `"]`).Text(); got != "The delivery failed; the server's log has the details." {
		t.Errorf("an unknown kind reads %q", got)
	}
	resp, _ := admin.post("/admin/deliveries/"+itoa(did)+"/resend", nil)
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/admin/deliveries" {
		t.Fatalf("resend: %d to %s", resp.StatusCode, location(resp))
	}
	var status string
	var queued, audited int
	if err := env.pool.QueryRow(ctx, `SELECT status,
		(SELECT count(*) FROM river_job WHERE kind = 'webhook_notice' AND (args->>'delivery_id')::bigint = $1),
		(SELECT count(*) FROM audit_events WHERE action = 'delivery.resent' AND actor = $2::bigint::text)
		FROM deliveries WHERE id = $1`, did, root.ID).Scan(&status, &queued, &audited); err != nil {
		t.Fatal(err)
	}
	if status != "queued" || queued != 1 || audited != 1 {
		t.Errorf("after resend: status %s, %d jobs, %d audit events; want queued, 1, 1", status, queued, audited)
	}
}
