package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
)

// TestAdminSetsAnAccountsRenewalLeadDays: the account's page shows and
// sets how many days before expiry its renewals are drafted; a value that
// is not a whole number from 1 to 365 comes back next to its field with
// nothing changed; only admins may set it, and every change is audited.
func TestAdminSetsAnAccountsRenewalLeadDays(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	a := env.account("Ops", simSecretID, simSecretKey)
	path := accountPath(a.ID)

	_, body := admin.get(path)
	wantAll(t, "the account page", body, `data-testid="account-lead-days">30 days before expiry<`,
		`name="renewal_lead_days"`, `value="30"`, `data-testid="account-lead-days-form"`)

	for _, bad := range []string{"0", "366", "ten", "", "1.5"} {
		resp, body := admin.post(path+"/renewal-lead-days", url.Values{"renewal_lead_days": {bad}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("lead days %q: %d, want 422", bad, resp.StatusCode)
		}
		wantAll(t, "the refused form", body, `data-testid="error-renewal_lead_days">Enter a whole number of days from 1 to 365.`)
	}
	if got, _ := env.accounts.Get(ctx, a.ID); got.RenewalLeadDays != 30 {
		t.Fatalf("after refused values: %d days, want 30", got.RenewalLeadDays)
	}

	resp, _ := admin.post(path+"/renewal-lead-days", url.Values{"renewal_lead_days": {"10"}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("set 10 days: %d %s", resp.StatusCode, location(resp))
	}
	_, body = admin.get(path)
	wantAll(t, "the page after saving", body, "renewals will be drafted 10 days before expiry",
		`data-testid="account-lead-days">10 days before expiry<`)
	if got, _ := env.accounts.Get(ctx, a.ID); got.RenewalLeadDays != 10 {
		t.Fatalf("saved %d days, want 10", got.RenewalLeadDays)
	}
	// Saving the same value again records nothing more.
	admin.post(path+"/renewal-lead-days", url.Values{"renewal_lead_days": {"10"}})
	var events int
	var details string
	if err := env.pool.QueryRow(ctx, `SELECT count(*), max(details::text) FROM audit_events WHERE action = $1 AND subject = $2`,
		db.ActionAccountRenewalLeadDaysSet, "tencentcloud_account:"+itoa(a.ID)).Scan(&events, &details); err != nil {
		t.Fatal(err)
	}
	if events != 1 || !strings.Contains(details, `"renewal_lead_days": 10`) || !strings.Contains(details, `"was": 30`) {
		t.Fatalf("%d audit events (%s), want one from 30 to 10", events, details)
	}

	// Not an admin: refused, nothing changed.
	approver, _ := env.loggedIn("ann", auth.RoleApprover)
	if resp, _ := approver.post(path+"/renewal-lead-days", url.Values{"renewal_lead_days": {"5"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an approver setting lead days: %d, want 403", resp.StatusCode)
	}
	// Without the CSRF token: refused.
	if resp, _ := admin.postRaw(path+"/renewal-lead-days", url.Values{"renewal_lead_days": {"5"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without a CSRF token: %d, want 403", resp.StatusCode)
	}
	if got, _ := env.accounts.Get(ctx, a.ID); got.RenewalLeadDays != 10 {
		t.Fatalf("after refused posts: %d days, want 10", got.RenewalLeadDays)
	}
}
