package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
)

var oneTimePassword = regexp.MustCompile(`data-testid="one-time-password">([^<]+)<`)

func TestAdminCreatesUserWhoCanSignIn(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, root := env.loggedIn("root", auth.RoleAdmin)

	// Mistakes come back with 422, next to their fields, with the input kept.
	resp, body := admin.post("/admin/users", url.Values{"username": {"bad name"}, "display_name": {"Lee Bad"}, "email": {"nope"}, "roles": {"approver"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid user: %d", resp.StatusCode)
	}
	for _, want := range []string{`value="bad name"`, `value="Lee Bad"`, `aria-describedby="username-hint username-error"`,
		`id="email-error"`, `id="role-approver" name="roles" value="approver" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("re-rendered form lacks %s", want)
		}
	}

	resp, body = admin.post("/admin/users", url.Values{"username": {"lee"}, "display_name": {"Lee"}, "roles": {"approver", "auditor"}})
	m := oneTimePassword.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create: %d, password shown: %v", resp.StatusCode, m != nil)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with a password may be cached")
	}
	lee, err := env.svc.UserByUsername(context.Background(), "lee")
	if err != nil || !lee.Has(auth.RoleApprover) || !lee.Has(auth.RoleAuditor) || lee.Has(auth.RoleRequester) {
		t.Fatalf("created %+v, %v", lee, err)
	}
	env.client().login("LEE", m[1])

	// The same username in another case is refused.
	resp, body = admin.post("/admin/users", url.Values{"username": {"Lee"}, "roles": {"requester"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "That username is taken") {
		t.Fatalf("duplicate: %d", resp.StatusCode)
	}

	// Editing roles: saved, then one flash message, shown once.
	resp, _ = admin.post(userPath(lee.ID), url.Values{"display_name": {"Lee Park"}, "roles": {"requester"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	if _, body := admin.get(location(resp)); !strings.Contains(body, "Saved lee.") || !strings.Contains(body, `value="Lee Park"`) {
		t.Error("no flash or the change was not saved")
	}
	if _, body := admin.get(location(resp)); strings.Contains(body, "Saved lee.") {
		t.Error("the flash message was shown twice")
	}

	// Every change is in the audit log, with the admin as its actor.
	evs, err := db.AuditEventsFor(context.Background(), env.pool, "user:"+itoa(lee.ID))
	if err != nil || len(evs) < 3 || evs[0].Action != "user.created" || evs[0].Actor != itoa(root.ID) || evs[len(evs)-1].Action != "user.updated" {
		t.Fatalf("audit events %+v, %v", evs, err)
	}
}

func TestAdminDisablesResetsAndEndsSessions(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, root := env.loggedIn("root", auth.RoleAdmin)
	mike, mikeClient := func() (auth.User, *client) {
		c, u := env.loggedIn("mike", auth.RoleRequester)
		return u, c
	}()
	other := env.client()
	other.login("mike", "password of mike is long")

	// The admin sees both sessions and ends one.
	_, body := admin.get(userPath(mike.ID) + "/sessions")
	refs := regexp.MustCompile(`name="session" value="([0-9a-f]{64})"`).FindAllStringSubmatch(body, -1)
	if len(refs) != 2 {
		t.Fatalf("sessions listed: %d, want 2", len(refs))
	}
	resp, _ := admin.post(userPath(mike.ID)+"/sessions/end", url.Values{"session": {refs[0][1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("end session: %d", resp.StatusCode)
	}
	alive := 0
	for _, c := range []*client{mikeClient, other} {
		if resp, _ := c.get("/"); resp.StatusCode == http.StatusOK {
			alive++
		}
	}
	if alive != 1 {
		t.Fatalf("%d of mike's sessions survive, want 1", alive)
	}

	// Resetting the password shows a new one and ends the rest.
	resp, body = admin.post(userPath(mike.ID)+"/password", nil)
	m := oneTimePassword.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	for _, c := range []*client{mikeClient, other} {
		if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatal("a session survived the password reset")
		}
	}
	mikeClient.login("mike", m[1])

	// Disabling ends the new session and refuses the next sign-in.
	if resp, _ := admin.post(userPath(mike.ID)+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	if resp, _ := mikeClient.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("a disabled user is still signed in")
	}
	if resp, _ := mikeClient.post("/login", url.Values{"username": {"mike"}, "password": {m[1]}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disabled user signing in: %d", resp.StatusCode)
	}

	// An admin cannot disable themselves, nor the last admin.
	resp, body = admin.post(userPath(root.ID)+"/disable", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot disable your own account") {
		t.Fatalf("self-disable: %d", resp.StatusCode)
	}
}
