package browsertest_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/oauth2-proxy/mockoidc"

	bt "dealdesk/internal/web/browsertest"
)

// ssoConsole starts an OIDC provider in the test process (mockoidc: a
// real authorization server with discovery, PKCE, nonce and signed ID
// tokens) and a console that signs people in through it, passwords off.
func ssoConsole(t *testing.T) (*bt.Console, *mockoidc.MockOIDC) {
	t.Helper()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	// The callback URL is registered before the console starts, so its
	// port is chosen here.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	cfg := m.Config()
	c := bt.StartConsole(t,
		"CONSOLE_ADDR="+addr,
		"CONSOLE_OIDC_ISSUER="+m.Issuer(),
		"CONSOLE_OIDC_CLIENT_ID="+cfg.ClientID,
		"CONSOLE_OIDC_CLIENT_SECRET="+cfg.ClientSecret,
		"CONSOLE_OIDC_REDIRECT_URL=http://"+addr+"/login/oidc/callback",
		"CONSOLE_OIDC_SCOPES=profile email groups",
		"CONSOLE_OIDC_ROLE_MAP=buyers=requester,finance=approver,finance=auditor",
		"CONSOLE_OIDC_NAME=Staff SSO",
		"CONSOLE_PASSWORD_LOGIN=false",
	)
	return c, m
}

func userRoles(t *testing.T, c *bt.Console, username string) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), c.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var roles []string
	if err := conn.QueryRow(context.Background(), `SELECT u.roles FROM users u JOIN user_identities i ON i.user_id = u.id WHERE u.username = $1`, username).Scan(&roles); err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return roles
}

// TestSingleSignOn: a person signs in through the provider, is created at
// the first sign-in with the roles their groups map to, and gets the
// provider's roles again at the next sign-in; passwords are off.
func TestSingleSignOn(t *testing.T) {
	t.Parallel()
	c, m := ssoConsole(t)
	b := bt.NewBrowser(t, c)

	b.Open("/orders")
	if b.Text("login-sso") != "Sign in with Staff SSO" {
		t.Fatal("no single sign-on button")
	}
	if forms := bt.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="login-form"]').length`)); forms != 0 {
		t.Error("the password form is shown with passwords off")
	}

	m.QueueUser(&mockoidc.MockUser{Subject: "sub-alice", PreferredUsername: "alice", Email: "alice@example.com",
		Groups: []string{"buyers", "finance", "unmapped"}})
	b.Do(chromedp.Click(bt.TestID("login-sso")), chromedp.WaitVisible(bt.TestID("nav-new-order")))
	if p := b.Path(); p != "/orders" {
		t.Errorf("after sign-in at %s, want back at /orders", p)
	}
	b.Do(chromedp.WaitVisible(bt.TestID("nav-approvals")))
	if got := userRoles(t, c, "alice"); !slices.Equal(got, []string{"requester", "approver", "auditor"}) {
		t.Errorf("alice's roles %v", got)
	}

	// Signing out, then in again after the provider moved her out of finance.
	b.Open("/")
	b.Do(chromedp.Click(bt.TestID("logout-button")), chromedp.WaitVisible(bt.TestID("login-sso")))
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-alice", PreferredUsername: "alice-renamed", Groups: []string{"buyers"}})
	b.Do(chromedp.Click(bt.TestID("login-sso")), chromedp.WaitVisible(bt.TestID("nav-new-order")))
	if got := userRoles(t, c, "alice"); !slices.Equal(got, []string{"requester"}) {
		t.Errorf("alice's roles after the provider changed them: %v", got)
	}
	if n := bt.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="nav-approvals"]').length`)); n != 0 {
		t.Error("the approvals link is still shown")
	}

	// The password form's POST is refused too.
	res, err := http.PostForm(c.URL+"/login", url.Values{"username": {"alice"}, "password": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("password sign-in with passwords off: %d", res.StatusCode)
	}
}

// TestSingleSignOnRefusesWrongStateAndNonce: an answer whose state is not
// the one this browser started with, or whose ID token carries another
// nonce, signs nobody in.
func TestSingleSignOnRefusesWrongStateAndNonce(t *testing.T) {
	t.Parallel()
	c, m := ssoConsole(t)
	b := bt.NewBrowser(t, c)
	refused := func(what, cause string) {
		t.Helper()
		if !strings.Contains(c.Logs(), cause) {
			t.Errorf("%s: the log does not give the cause %q", what, cause)
		}
		if msg := b.Text("error-message"); !strings.Contains(msg, "did not complete") {
			t.Errorf("%s: page says %q", what, msg)
		}
		if status := b.Open("/"); status != 200 || !strings.HasPrefix(b.Path(), "/login") {
			t.Errorf("%s: signed in anyway (at %s)", what, b.Path())
		}
	}

	// No sign-in started in this browser: a forged answer is refused.
	if status := b.Open("/login/oidc/callback?state=forged&code=forged"); status != http.StatusBadRequest {
		t.Errorf("forged answer: %d", status)
	}
	refused("forged answer", "oidc callback without its cookie")

	// A sign-in started, stopped at the provider (it errs once), so the
	// browser holds the pending cookie and the test the provider's URL.
	m.QueueError(&mockoidc.ServerError{Code: http.StatusServiceUnavailable, Error: "temporarily_unavailable", Description: "try later"})
	b.Open("/login")
	b.Do(chromedp.Click(bt.TestID("login-sso")), chromedp.WaitReady("body"))
	authURL := bt.Run(b, chromedp.Location())
	u, err := url.Parse(authURL)
	if err != nil || u.Query().Get("nonce") == "" || u.Query().Get("code_challenge") == "" || u.Query().Get("code_challenge_method") != "S256" {
		t.Fatalf("at %s: want the provider's authorize URL with a nonce and a PKCE challenge", authURL)
	}

	// Wrong state: the answer to another sign-in.
	if status := b.Open("/login/oidc/callback?state=" + url.QueryEscape("another-"+u.Query().Get("state")) + "&code=x"); status != http.StatusBadRequest {
		t.Errorf("wrong state: %d", status)
	}
	refused("wrong state", "state does not match")

	// Wrong nonce: the same sign-in (its state), but the provider is asked
	// for a token with another nonce, as a replayed or swapped token would
	// carry. Start again so the browser holds a fresh cookie.
	m.QueueError(&mockoidc.ServerError{Code: http.StatusServiceUnavailable, Error: "temporarily_unavailable", Description: "try later"})
	b.Open("/login")
	b.Do(chromedp.Click(bt.TestID("login-sso")), chromedp.WaitReady("body"))
	u, _ = url.Parse(bt.Run(b, chromedp.Location()))
	q := u.Query()
	q.Set("nonce", "not-"+q.Get("nonce"))
	u.RawQuery = q.Encode()
	m.QueueUser(&mockoidc.MockUser{Subject: "sub-mallory", PreferredUsername: "mallory", Groups: []string{"finance"}})
	if status := bt.Run(b, chromedp.NavigateResponse(u.String())).Status; status != http.StatusBadRequest {
		t.Errorf("wrong nonce: %d at %s", status, b.Path())
	}
	refused("wrong nonce", "nonce does not match")

	conn, err := pgx.Connect(context.Background(), c.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM user_identities`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d identities linked after refusals (%v)", n, err)
	}
}
