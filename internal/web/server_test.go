package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/db"
)

type fakePinger struct{ err error }

func (f fakePinger) Ping(context.Context) error { return f.err }

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestLayoutAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{Sandbox: true})
	resp, body := get(t, srv.URL+"/login")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`data-testid="login-heading"`, `data-testid="sandbox-banner"`, `href="#main"`, `lang="en"`} {
		if !strings.Contains(body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if id := resp.Header.Get("X-Request-Id"); len(id) < 8 {
		t.Errorf("no request id header: %q", id)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
		t.Errorf("missing security headers: %v", resp.Header)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("pages must not be stored: Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	// Without sandbox mode there is no banner.
	_, body = get(t, newServer(t, Deps{}).URL+"/login")
	if strings.Contains(body, "sandbox-banner") {
		t.Error("sandbox banner shown outside sandbox mode")
	}
}

func TestStaticFilesAreHashedAndCached(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{})
	_, body := get(t, srv.URL+"/login")
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no hashed stylesheet link in page")
	}
	resp, css := get(t, srv.URL+m[1])
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(css, "--accent") {
		t.Fatalf("stylesheet: status %d type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control %q", cc)
	}
	// The unhashed name is not served: it would be cached stale forever.
	if resp, _ := get(t, srv.URL+"/static/app.css"); resp.StatusCode != 404 {
		t.Errorf("unhashed name: status %d, want 404", resp.StatusCode)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	up := newServer(t, Deps{DB: fakePinger{}})
	down := newServer(t, Deps{DB: fakePinger{err: errors.New("connection refused")}})
	if resp, _ := get(t, up.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz %d", resp.StatusCode)
	}
	if resp, _ := get(t, down.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz must not depend on the database: %d", resp.StatusCode)
	}
	if resp, _ := get(t, up.URL+"/readyz"); resp.StatusCode != 200 {
		t.Errorf("readyz up %d", resp.StatusCode)
	}
	resp, body := get(t, down.URL+"/readyz")
	if resp.StatusCode != 503 || strings.Contains(body, "refused") {
		t.Errorf("readyz down: %d %q (must be 503 and not leak the cause)", resp.StatusCode, body)
	}
}

func TestErrorsShowSafeMessages(t *testing.T) {
	t.Parallel()
	svc := newAuth(t, nil)
	s := &Server{deps: Deps{Auth: svc}, log: discard(), auth: svc, sessions: svc.Store(nil)}
	e := echo.New()
	e.HTTPErrorHandler = s.handleError
	e.Use(s.observe()...)
	e.GET("/panic", func(echo.Context) error { panic("secret internal detail") })
	e.GET("/fail", func(echo.Context) error { return errors.New("pq: password authentication failed for user x") })
	e.GET("/missing", func(echo.Context) error { return db.ErrNotFound })
	e.GET("/conflict", func(echo.Context) error { return db.ErrConflict })
	e.GET("/safe", func(echo.Context) error {
		return &SafeError{Status: 422, Safe: "The title is required.", Err: errors.New("internal")}
	})
	srv := httptest.NewServer(e)
	defer srv.Close()

	tests := []struct {
		path, want string
		status     int
		hidden     string
	}{
		{"/panic", "Something went wrong on our side", 500, "secret internal detail"},
		{"/fail", "Something went wrong on our side", 500, "password authentication"},
		{"/missing", "could not find", 404, "db:"},
		{"/conflict", "conflicts", 409, "db:"},
		{"/safe", "The title is required.", 422, "internal"},
		{"/nowhere", "no page at this address", 404, ""},
	}
	for _, tt := range tests {
		resp, body := get(t, srv.URL+tt.path)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, body lacks %q", tt.path, resp.StatusCode, tt.want)
		}
		if tt.hidden != "" && strings.Contains(body, tt.hidden) {
			t.Errorf("%s: page leaks %q", tt.path, tt.hidden)
		}
		if tt.status >= 500 && !strings.Contains(body, resp.Header.Get("X-Request-Id")) {
			t.Errorf("%s: page does not show the request reference", tt.path)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{BodyLimit: "1K"})
	resp, err := http.Post(srv.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(strings.Repeat("a", 4096)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", resp.StatusCode)
	}
}

func TestRequestIDFromProxyIsSanitised(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{})
	for id, keep := range map[string]bool{"abcdef123456": true, "bad id\r\nX-Evil: 1": false, "<script>": false} {
		req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", id)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			// Go's client refuses CR/LF in headers itself; nothing to check.
			continue
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); (got == id) != keep {
			t.Errorf("id %q came back as %q", id, got)
		}
	}
}

func TestRequireRoleRefusesUndeclaredRoles(t *testing.T) {
	t.Parallel()
	s := &Server{log: discard()}
	for _, r := range s.routes() {
		if r.Role == "" {
			t.Errorf("%s %s has no role", r.Method, r.Path)
		}
	}
	for role, wantPanic := range map[Role]bool{
		"": true, "root": true, "admin|root": true, AnyOf(): true,
		RolePublic: false, RoleSignedIn: false, RoleAdmin: false, AnyOf(RoleApprover, RoleAuditor): false,
	} {
		func() {
			defer func() {
				if p := recover(); (p != nil) != wantPanic {
					t.Errorf("requireRole(%q): panic %v, want panic %v", role, p, wantPanic)
				}
			}()
			s.requireRole(role)
		}()
	}
	// A server whose table has a route without a role does not start.
	defer func() {
		if recover() == nil {
			t.Error("register accepted a route without a role")
		}
	}()
	e := echo.New()
	e.Add(http.MethodGet, "/x", func(echo.Context) error { return nil }, s.requireRole(Route{}.Role))
}
