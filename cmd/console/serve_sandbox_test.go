package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/secrets"
)

// browser is just enough of a browser for serve tests: cookies, the CSRF
// token of the last page, no redirects followed.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("_csrf", b.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(page); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(page)
}

func TestServeSandboxCreatesAnAccountWhoseCheckSucceeds(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.NewURL(t)
	getenv := testEnv(dbURL, nil)
	base, done, stop, logs := startServe(t, getenv, "-sandbox")

	pool := dbtest.Open(t, dbURL)
	authSvc, err := auth.NewService(pool, auth.Config{SessionKey: make([]byte, 32), IdleTimeout: time.Hour, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	const pw = "serve test admin password"
	if _, _, err := authSvc.CreateUser(context.Background(), auth.SystemActor("test"), auth.NewUser{Username: "root", Roles: []auth.Role{auth.RoleAdmin}, Password: pw}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, base)
	b.do(http.MethodGet, "/login", nil)
	if status, _ := b.do(http.MethodPost, "/login", url.Values{"username": {"root"}, "password": {pw}}); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}

	_, page := b.do(http.MethodGet, "/admin/accounts", nil)
	m := regexp.MustCompile(`href="/admin/accounts/([0-9]+)" data-testid="account-link-[0-9]+">Sandbox</a>`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `data-testid="account-sandbox-`+m[1]+`"`) {
		t.Fatalf("no sandbox account listed:\n%s", page)
	}
	status, page := b.do(http.MethodPost, "/admin/accounts/"+m[1]+"/check", url.Values{})
	if status != http.StatusOK || !strings.Contains(page, `data-testid="check-ok"`) {
		t.Fatalf("check: %d\n%s", status, page)
	}

	// The log says where the sandbox listens, and holds no key.
	keys, err := secrets.NewKeyring("k1", bytes.Repeat([]byte{7}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	accountsSvc, _ := accounts.NewService(pool, accounts.Config{Keys: keys, Sandbox: true})
	id, _ := accountsSvc.List(context.Background())
	creds, err := accountsSvc.Credentials(context.Background(), id[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	out := logs.String()
	if !regexp.MustCompile(`sandbox: Tencent Cloud calls go to the in-process sandbox" url=http://127\.0\.0\.1:[0-9]+ account=Sandbox`).MatchString(out) {
		t.Errorf("no sandbox address in the log:\n%s", out)
	}
	if !strings.Contains(out, "tcsim call") || !strings.Contains(out, "outcome=Success") {
		t.Errorf("the sandbox did not log the check:\n%s", out)
	}
	if strings.Contains(out, creds.SecretKey) || strings.Contains(out, creds.SecretID) {
		t.Errorf("the log holds the sandbox keys:\n%s", out)
	}

	// A restart keeps the same account, and the sandbox accepts it again.
	base, done, stop, _ = startServe(t, getenv, "-sandbox")
	if list, _ := accountsSvc.List(context.Background()); len(list) != 1 {
		t.Fatalf("a restart made another sandbox account: %+v", list)
	}
	b = newBrowser(t, base)
	b.do(http.MethodGet, "/login", nil)
	b.do(http.MethodPost, "/login", url.Values{"username": {"root"}, "password": {pw}})
	b.do(http.MethodGet, "/admin/accounts/"+m[1], nil) // signing in starts a new CSRF token
	if _, page := b.do(http.MethodPost, "/admin/accounts/"+m[1]+"/check", url.Values{}); !strings.Contains(page, `data-testid="check-ok"`) {
		t.Fatalf("check after a restart:\n%s", page)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestServeRefusesSandboxWithAnEndpoint(t *testing.T) {
	t.Parallel()
	getenv := testEnv("postgres://unused.invalid/db", map[string]string{"CONSOLE_TENCENTCLOUD_ENDPOINT": "http://127.0.0.1:9100"})
	err := run(context.Background(), []string{"serve", "-sandbox"}, getenv, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "set only one") {
		t.Fatalf("err = %v", err)
	}
}
