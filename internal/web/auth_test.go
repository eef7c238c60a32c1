package web

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/securecookie"

	"dealdesk/internal/auth"
)

func TestCSRFRefusesPostsWithoutAValidToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, pw := env.user("alice", auth.RoleRequester)
	c := env.client()
	token := c.csrf()
	form := func(extra ...string) url.Values {
		v := url.Values{"username": {"alice"}, "password": {pw}}
		if len(extra) > 0 {
			v.Set("_csrf", extra[0])
		}
		return v
	}
	tests := []struct {
		name    string
		form    url.Values
		headers map[string]string
	}{
		{"no token", form(), nil},
		{"wrong token", form("not-the-token-at-all-not-at-all!"), nil},
		{"empty token", form(""), nil},
		// Fetch metadata alone is not enough: the token is checked as well.
		{"same-origin header without token", form(), map[string]string{"Sec-Fetch-Site": "same-origin"}},
		// A valid token does not excuse a request another site sent.
		{"cross-site with token", form(token), map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"same-site with token", form(token), map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"foreign origin with token", form(token), map[string]string{"Origin": "http://evil.example"}},
	}
	for _, tt := range tests {
		resp, body := c.postRaw("/login", tt.form, tt.headers)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "did not come from this console") {
			t.Errorf("%s: status %d, want 403 with the CSRF message", tt.name, resp.StatusCode)
		}
		if c.cookie(auth.SessionCookie) != nil {
			t.Fatalf("%s: signed in despite the refusal", tt.name)
		}
	}
	// The same form with its token, from this origin, works.
	resp, _ := c.postRaw("/login", form(token), map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": env.srv.URL})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid POST: status %d", resp.StatusCode)
	}
	// Signed in, a POST without the token is refused too and changes nothing.
	resp, _ = c.postRaw("/account/password", url.Values{"current": {pw}, "new": {"a new password, long enough"}, "confirm": {"a new password, long enough"}}, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("password change without token: status %d", resp.StatusCode)
	}
	if resp, _ := c.get("/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("session ended by a refused POST: %d", resp.StatusCode)
	}
}

func TestEveryFormCarriesTheToken(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c, _ := env.loggedIn("root", auth.RoleAdmin)
	target, _ := env.user("bob", auth.RoleRequester)
	formTag := regexp.MustCompile(`(?s)<form[^>]*method="post".*?</form>`)
	for _, path := range []string{"/", "/account/password", "/admin/users/new", userPath(target.ID), userPath(target.ID) + "/sessions"} {
		_, body := c.get(path)
		forms := formTag.FindAllString(body, -1)
		if len(forms) == 0 {
			t.Errorf("%s: no POST form found", path)
		}
		for _, f := range forms {
			m := csrfInput.FindStringSubmatch(f)
			if m == nil || m[1] != c.cookie(csrfCookie).Value {
				t.Errorf("%s: a form lacks the CSRF token: %.120s", path, f)
			}
		}
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		trust      bool
		proto      string
		wantSecure bool
	}{
		{"plain http", false, "", false},
		{"proxy says https, not trusted", false, "https", false},
		{"trusted proxy says https", true, "https", true},
		{"trusted proxy says http", true, "http", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, func(d *Deps) { d.TrustProxy = tt.trust })
			_, pw := env.user("carol", auth.RoleRequester)
			c := env.client()
			form := url.Values{"username": {"carol"}, "password": {pw}, "_csrf": {c.csrf()}}
			resp, _ := c.postRaw("/login", form, map[string]string{"X-Forwarded-Proto": tt.proto})
			var sc *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == auth.SessionCookie {
					sc = ck
				}
			}
			if sc == nil {
				t.Fatalf("no session cookie (status %d)", resp.StatusCode)
			}
			if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure != tt.wantSecure || sc.Path != "/" {
				t.Errorf("cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v", sc, tt.wantSecure)
			}
			if hsts := resp.Header.Get("Strict-Transport-Security") != ""; hsts != tt.wantSecure {
				t.Errorf("HSTS present = %v, want %v", hsts, tt.wantSecure)
			}
		})
	}
}

func TestClientAddressComesFromATrustedProxyOnly(t *testing.T) {
	t.Parallel()
	for trust, want := range map[bool]string{false: "127.0.0.1", true: "203.0.113.9"} {
		env := newEnv(t, func(d *Deps) { d.TrustProxy = trust })
		_, pw := env.user("dave", auth.RoleRequester)
		c := env.client()
		form := url.Values{"username": {"dave"}, "password": {pw}, "_csrf": {c.csrf()}}
		c.postRaw("/login", form, map[string]string{"X-Forwarded-For": "203.0.113.9"})
		var got string
		if err := env.pool.QueryRow(context.Background(), "SELECT remote_addr FROM sessions").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("trust proxy %v: session address %q, want %q", trust, got, want)
		}
	}
}

// sessionToken decodes the raw token inside a session cookie, as only the
// console can.
func sessionToken(t *testing.T, ck *http.Cookie) []byte {
	t.Helper()
	var token []byte
	codec := securecookie.New(testSessionKey, nil).SetSerializer(securecookie.NopEncoder{})
	if err := codec.Decode(auth.SessionCookie, ck.Value, &token); err != nil || len(token) != 32 {
		t.Fatalf("cannot decode the session cookie: %v", err)
	}
	return token
}

func TestSessionTableNeverHoldsTheRawSessionID(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c, _ := env.loggedIn("erin", auth.RoleRequester)
	c.get("/") // a touch and a flash save must not write it either
	ck := c.cookie(auth.SessionCookie)
	token := sessionToken(t, ck)
	var dump string
	err := env.pool.QueryRow(context.Background(),
		"SELECT string_agg(s::text || ' ' || encode(s.id, 'hex') || ' ' || encode(s.id, 'base64'), ' ') FROM sessions s").Scan(&dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{
		ck.Value, hex.EncodeToString(token), base64.StdEncoding.EncodeToString(token),
		base64.RawURLEncoding.EncodeToString(token), base64.RawStdEncoding.EncodeToString(token),
	} {
		if strings.Contains(strings.ToLower(dump), strings.ToLower(secret)) {
			t.Fatalf("the sessions table holds the session token (%.12s...)", secret)
		}
	}
}

func TestLogoutEndsTheSessionForGood(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c, _ := env.loggedIn("frank", auth.RoleRequester)
	stolen := *c.cookie(auth.SessionCookie)
	resp, _ := c.post("/logout", nil)
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/login?signed_out=1" {
		t.Fatalf("logout: %d %s", resp.StatusCode, location(resp))
	}
	if c.cookie(auth.SessionCookie) != nil {
		t.Error("logout left the session cookie in the browser")
	}
	replay := env.client()
	replay.setCookie(&stolen)
	if resp, _ := replay.get("/"); resp.StatusCode != http.StatusSeeOther || location(resp) != "/login" {
		t.Fatalf("a session id presented after logout still works: %d %s", resp.StatusCode, location(resp))
	}
	var n int
	if err := env.pool.QueryRow(context.Background(), "SELECT count(*) FROM sessions").Scan(&n); err != nil || n != 0 {
		t.Fatalf("sessions left after logout: %d (%v)", n, err)
	}
	_, body := c.get("/login?signed_out=1")
	if !strings.Contains(body, `data-testid="signed-out"`) {
		t.Error("the sign-in page does not confirm the sign-out")
	}
}

func TestPasswordChangeEndsOlderSessions(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, pw := env.user("grace", auth.RoleApprover)
	here, elsewhere := env.client(), env.client()
	here.login("grace", pw)
	elsewhere.login("grace", pw)
	before := *here.cookie(auth.SessionCookie)

	const newPW = "grace picked a new long password"
	// A mistake keeps nothing but shows the error next to its field.
	resp, body := here.post("/account/password", url.Values{"current": {pw}, "new": {newPW}, "confirm": {newPW + "x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-describedby="confirm-error"`) || strings.Contains(body, newPW) {
		t.Fatalf("mismatched confirmation: %d", resp.StatusCode)
	}
	resp, _ = here.post("/account/password", url.Values{"current": {pw}, "new": {newPW}, "confirm": {newPW}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != "/" {
		t.Fatalf("password change: %d %s", resp.StatusCode, location(resp))
	}
	// This browser carries on with a new session and is told what happened.
	if _, body := here.get("/"); !strings.Contains(body, "Your password was changed") {
		t.Error("no confirmation after the password change")
	}
	if here.cookie(auth.SessionCookie).Value == before.Value {
		t.Error("the session was not replaced")
	}
	// The cookie from before the change, and the other browser, are out.
	replay := env.client()
	replay.setCookie(&before)
	for name, c := range map[string]*client{"old cookie": replay, "other browser": elsewhere} {
		if resp, _ := c.get("/"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s still signed in after the password change: %d", name, resp.StatusCode)
		}
	}
}

func TestLoginRotatesTheSession(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, pw := env.user("heidi", auth.RoleRequester)
	c := env.client()
	c.login("heidi", pw)
	first := *c.cookie(auth.SessionCookie)
	c.login("heidi", pw)
	if c.cookie(auth.SessionCookie).Value == first.Value {
		t.Fatal("signing in again kept the session id")
	}
	replay := env.client()
	replay.setCookie(&first)
	if resp, _ := replay.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("the session from before signing in again still works")
	}
}

func TestLoginFailuresAndThrottleRevealNothing(t *testing.T) {
	t.Parallel()
	env := newEnv(t) // 3 attempts per username per window
	_, pw := env.user("ivan", auth.RoleRequester)
	c := env.client()
	attempt := func(username, password string) (int, string) {
		resp, body := c.post("/login", url.Values{"username": {username}, "password": {password}})
		// Requests differ only by the username typed back into the form
		// and by the request's reference.
		body = strings.ReplaceAll(body, `value="`+username+`"`, `value="USERNAME"`)
		return resp.StatusCode, body
	}
	for i := range 4 {
		sKnown, bKnown := attempt("ivan", "wrong password, long enough")
		sUnknown, bUnknown := attempt("nobody", "wrong password, long enough")
		if sKnown != http.StatusUnprocessableEntity || sKnown != sUnknown || bKnown != bUnknown {
			t.Fatalf("attempt %d: existing user %d, unknown user %d; pages differ: %v", i, sKnown, sUnknown, bKnown != bUnknown)
		}
		if !strings.Contains(bKnown, auth.LoginFailedMessage) || !strings.Contains(bKnown, `value="USERNAME"`) {
			t.Fatalf("attempt %d: page lacks the message or the typed username", i)
		}
	}
	// Throttled now: the right password gets the very same answer.
	status, body := attempt("ivan", pw)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, auth.LoginFailedMessage) {
		t.Fatalf("right password while throttled: %d", status)
	}
	if c.cookie(auth.SessionCookie) != nil {
		t.Fatal("signed in while throttled")
	}
	// Empty fields are told apart: that reveals nothing.
	resp, body := c.post("/login", url.Values{"username": {""}, "password": {""}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="username-error"`) || !strings.Contains(body, `aria-describedby="password-error"`) {
		t.Fatalf("empty form: %d", resp.StatusCode)
	}
}

func TestLoginNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, pw := env.user("judy", auth.RoleAdmin)
	c := env.client()
	resp, _ := c.get("/admin/users?sort=name")
	if got := location(resp); got != "/login?next=%2Fadmin%2Fusers%3Fsort%3Dname" {
		t.Fatalf("anonymous redirect %q", got)
	}
	_, body := c.get(location(resp))
	if !strings.Contains(body, `name="next" value="/admin/users?sort=name"`) {
		t.Fatal("the sign-in form does not carry next")
	}
	resp, _ = c.post("/login", url.Values{"username": {"judy"}, "password": {pw}, "next": {"/admin/users?sort=name"}})
	if got := location(resp); got != "/admin/users?sort=name" {
		t.Fatalf("after sign-in: %q", got)
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                          "/",
		"/":                         "/",
		"/admin/users?x=1":          "/admin/users?x=1",
		"//evil.example/":           "/",
		"/\\evil.example":           "/",
		"https://evil.example/":     "/",
		"javascript:alert(1)":       "/",
		"evil.example":              "/",
		"/login":                    "/",
		"/ok\r\nSet-Cookie: x=1":    "/",
		"/%2F%2Fevil.example":       "/%2F%2Fevil.example", // a path on this site
		"/account/password#section": "/account/password#section",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestForbiddenIsAPlainPage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	c, _ := env.loggedIn("kim", auth.RoleRequester)
	resp, body := c.get("/admin/users")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `data-testid="error-message"`) || !strings.Contains(body, "does not have a role") {
		t.Fatalf("requester on an admin page: %d", resp.StatusCode)
	}
	if strings.Contains(body, `data-testid="nav-admin"`) || strings.Contains(body, `data-testid="users-table"`) {
		t.Fatal("the 403 page shows admin content")
	}
	// Admins see the admin link; others do not.
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	if _, body := admin.get("/"); !strings.Contains(body, `data-testid="nav-admin"`) {
		t.Error("admins lack the admin link")
	}
	if _, body := c.get("/"); strings.Contains(body, `data-testid="nav-admin"`) || !strings.Contains(body, `data-testid="logout-button"`) {
		t.Error("a requester sees the admin link, or no sign-out button")
	}
}

// TestTemplatesHaveNoInlineCode: the CSP forbids inline script and style,
// so a template that used them would break in the browser.
func TestTemplatesHaveNoInlineCode(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../web/templates/*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	bad := regexp.MustCompile(`(?i)(\sstyle=|<style|<script(?:[^>]*)>\s*[^<\s]|\son[a-z]+=|javascript:)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := bad.Find(b); m != nil {
			t.Errorf("%s has inline code: %q", f, m)
		}
	}
}
