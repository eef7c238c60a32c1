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

// A user whose password was generated (created or reset by an admin) must
// choose their own before any page but "Change password" and signing out
// opens; choosing it lets them in, and the audit log says so both times.
func TestGeneratedPasswordMustBeChangedFirst(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	u, generated, err := env.svc.CreateUser(ctx, auth.SystemActor("test"), auth.NewUser{Username: "nina", Roles: []auth.Role{auth.RoleRequester}})
	if err != nil || generated == "" || !u.MustChangePassword {
		t.Fatalf("created %+v with %q: %v", u, generated, err)
	}
	if n := auditCount(t, env, db.ActionUserCreated, u.ID, `"must_change_password": true`); n != 1 {
		t.Errorf("%d user.created events record must_change_password", n)
	}

	nina := env.client()
	nina.login("nina", generated)
	for _, path := range []string{"/", "/orders", "/orders/new", "/orders/export.csv"} {
		if resp, _ := nina.get(path); resp.StatusCode != http.StatusSeeOther || location(resp) != "/account/password" {
			t.Errorf("GET %s before the change: %d %s", path, resp.StatusCode, location(resp))
		}
	}
	// A POST elsewhere changes nothing and lands on the same page.
	if resp, _ := nina.post("/orders/new/waf", url.Values{"title": {"x"}}); resp.StatusCode != http.StatusSeeOther || location(resp) != "/account/password" {
		t.Errorf("POST /orders/new/waf before the change: %d %s", resp.StatusCode, location(resp))
	}
	var orders int
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM orders WHERE requester_id = $1`, u.ID).Scan(&orders); err != nil || orders != 0 {
		t.Fatalf("%d orders saved before the change (%v)", orders, err)
	}
	resp, body := nina.get("/account/password")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="password-must-change"`) {
		t.Fatalf("the password page does not say why: %d", resp.StatusCode)
	}
	newPW := "nina chose this one herself"
	if resp, _ := nina.post("/account/password", url.Values{"current": {generated}, "new": {newPW}, "confirm": {newPW}}); resp.StatusCode != http.StatusSeeOther || location(resp) != "/" {
		t.Fatalf("change: %d %s", resp.StatusCode, location(resp))
	}
	for _, path := range []string{"/", "/orders"} {
		if resp, _ := nina.get(path); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s after the change: %d", path, resp.StatusCode)
		}
	}
	if _, body := nina.get("/account/password"); strings.Contains(body, `data-testid="password-must-change"`) {
		t.Error("the notice stays after the change")
	}
	if n := auditCount(t, env, db.ActionUserPasswordChanged, u.ID, `"was_required": true`); n != 1 {
		t.Errorf("%d user.password.changed events record was_required", n)
	}

	// An admin's reset generates a password: the user must change it again.
	resp, body = admin.post(userPath(u.ID)+"/password", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	m := oneTimePassword.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the reset shows no password")
	}
	again := env.client()
	again.login("nina", m[1])
	if resp, _ := again.get("/orders"); resp.StatusCode != http.StatusSeeOther || location(resp) != "/account/password" {
		t.Errorf("after a reset: %d %s", resp.StatusCode, location(resp))
	}
	if resp, _ := again.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signing out before the change: %d", resp.StatusCode)
	}

	// A user given a password they chose (the test helper's) is not asked.
	if u, _ := env.user("omar", auth.RoleRequester); u.MustChangePassword {
		t.Error("a chosen password must be changed")
	}
}

func auditCount(t *testing.T, env *testEnv, action string, userID int64, detail string) int {
	t.Helper()
	var n int
	if err := env.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = $1 AND subject = 'user:' || $2::bigint AND details::text LIKE '%' || $3 || '%'`, action, userID, detail).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
