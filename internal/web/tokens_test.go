package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"dealdesk/internal/auth"
)

var tokenSecret = regexp.MustCompile(`data-testid="new-token-secret">(ddk_[A-Za-z0-9_-]+)<`)

// TestPersonalTokenPages: a person makes a token, sees its secret once,
// and revokes it; only its hash is stored; someone else cannot revoke it.
func TestPersonalTokenPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, u := e.loggedIn("tokenmaker", auth.RoleRequester)
	ctx := context.Background()

	if resp, _ := c.get("/account/tokens"); resp.StatusCode != 200 {
		t.Fatalf("list: %d", resp.StatusCode)
	}
	resp, body := c.post("/account/tokens", url.Values{"name": {"ci"}, "days": {"30"}, "scopes": {"read", "approve"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-scopes"`) {
		t.Fatalf("approve scope for a requester: %d", resp.StatusCode)
	}
	resp, body = c.post("/account/tokens", url.Values{"name": {"ci"}, "days": {"30"}, "scopes": {"read", "compose"}})
	m := tokenSecret.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("create: %d\n%s", resp.StatusCode, body)
	}
	secret := m[1]
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("the page with the secret may be cached")
	}
	p, err := e.svc.Authenticate(ctx, secret)
	if err != nil || p.User.ID != u.ID || !p.Token.Has(auth.ScopeCompose) || p.Token.Has(auth.ScopeApprove) {
		t.Fatalf("the shown secret authenticates as %+v, %v", p, err)
	}
	var stored []byte
	if err := e.pool.QueryRow(ctx, `SELECT token_sha256 FROM api_tokens WHERE id = $1`, p.Token.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(secret)); string(stored) != string(sum[:]) {
		t.Error("the stored value is not the secret's sha256")
	}
	if _, again := c.get("/account/tokens"); strings.Contains(again, secret) || !strings.Contains(again, p.Token.Prefix) {
		t.Error("the list shows the secret again, or not the token's prefix")
	}

	// Someone else cannot revoke it, even knowing its id.
	other, _ := e.loggedIn("stranger", auth.RoleRequester, auth.RoleAdmin)
	if resp, _ := other.post("/account/tokens/"+itoa(p.Token.ID)+"/revoke", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("stranger revokes: %d", resp.StatusCode)
	}
	if resp, _ := other.post("/admin/tokens/"+itoa(p.Token.ID)+"/revoke", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("admin revokes a personal token as a service token: %d", resp.StatusCode)
	}
	if resp, _ := c.post("/account/tokens/"+itoa(p.Token.ID)+"/revoke", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if _, err := e.svc.Authenticate(ctx, secret); !errors.Is(err, auth.ErrTokenInvalid) {
		t.Errorf("revoked token still authenticates: %v", err)
	}
	var events int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action IN ('api_token.created', 'api_token.revoked') AND subject = $1 AND actor = $2`,
		"api_token:"+itoa(p.Token.ID), itoa(u.ID)).Scan(&events); err != nil || events != 2 {
		t.Errorf("%d audit events (%v), want created and revoked", events, err)
	}
}

// TestServiceTokenPage: admins make service tokens, never with approver.
func TestServiceTokenPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, _ := e.loggedIn("tokenadmin", auth.RoleAdmin)
	resp, body := c.post("/admin/tokens", url.Values{"name": {"deploy bot"}, "days": {"30"}, "roles": {"requester", "approver"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-roles"`) {
		t.Fatalf("service token with approver: %d", resp.StatusCode)
	}
	resp, body = c.post("/admin/tokens", url.Values{"name": {"deploy bot"}, "days": {"30"}, "roles": {"requester"}})
	m := tokenSecret.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("create: %d\n%s", resp.StatusCode, body)
	}
	p, err := e.svc.Authenticate(context.Background(), m[1])
	if err != nil || p.Token.Kind != auth.TokenService || p.User.Username != "service.deploy-bot" || p.Token.Has(auth.ScopeApprove) {
		t.Fatalf("service token: %+v, %v", p, err)
	}
	if !strings.Contains(body, "service.deploy-bot") {
		t.Error("the list does not name the service user")
	}
}

// TestAPIMountSkipsCSRFOnlyForBearer: under /api/v1 a request with a
// bearer token reaches the API without a CSRF token (a browser cannot add
// that header across sites), and a cookie-only POST is refused by the CSRF
// check before the API sees it.
func TestAPIMountSkipsCSRFOnlyForBearer(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	e := newEnv(t, func(d *Deps) {
		d.API = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			reached.Add(1)
			w.WriteHeader(http.StatusTeapot)
		})
	})
	c, _ := e.loggedIn("cookieonly", auth.RoleRequester)
	post := func(path string, headers map[string]string) int {
		resp, _ := c.postRaw(path, url.Values{}, headers)
		return resp.StatusCode
	}
	if got := post("/api/v1/orders", nil); got != http.StatusForbidden || reached.Load() != 0 {
		t.Errorf("cookie session, no CSRF token: %d (API reached %d times)", got, reached.Load())
	}
	if got := post("/api/v1/orders", map[string]string{"Sec-Fetch-Site": "cross-site"}); got != http.StatusForbidden || reached.Load() != 0 {
		t.Errorf("cross-site, no bearer: %d", got)
	}
	if got := post("/api/v1/orders", map[string]string{"Authorization": "Bearer ddk_x"}); got != http.StatusTeapot || reached.Load() != 1 {
		t.Errorf("bearer: %d", got)
	}
	// Only under /api/v1: a bearer header does not open the pages' forms.
	if got := post("/account/tokens", map[string]string{"Authorization": "Bearer ddk_x"}); got != http.StatusForbidden {
		t.Errorf("bearer on a page's form: %d", got)
	}
	if resp, _ := c.get("/api/v1/me"); resp.StatusCode != http.StatusTeapot {
		t.Errorf("GET reaches the API (which refuses it without a token): %d", resp.StatusCode)
	}
}
