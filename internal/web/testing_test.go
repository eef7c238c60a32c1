package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/history"
	"dealdesk/internal/jobs"
	"dealdesk/internal/notify"
	"dealdesk/internal/orders"
	"dealdesk/internal/secrets"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

var testSessionKey = []byte("test-session-key-of-32-bytes-ok!")

// newAuth builds the users service. A nil pool is for tests that never
// present a session cookie: nothing queries the database then.
func newAuth(t *testing.T, pool db.Pool) *auth.Service {
	t.Helper()
	svc, err := auth.NewService(pool, auth.Config{
		SessionKey: testSessionKey, IdleTimeout: 8 * time.Hour, MaxAge: 168 * time.Hour,
		Throttle: auth.ThrottleConfig{PerUsername: 3, PerAddress: 1000},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// testMasterKey seals the Tencent Cloud secrets of every test console.
var testMasterKey = []byte("test-master-key-of-32-bytes-ok!!")

// The keys the test sandbox accepts (made up, never real ones).
const (
	simSecretID  = "AKIDwebTESTsandboxKEY000000000000001"
	simSecretKey = "WebTestSandboxSecretKey0000000001"
)

// newAccounts builds the accounts service. A nil pool is for tests that
// never reach an accounts page.
func newAccounts(t *testing.T, pool db.Pool) *accounts.Service {
	t.Helper()
	keys, err := secrets.NewKeyring("k1", testMasterKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := accounts.NewService(pool, accounts.Config{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// testEnv is a console on httptest with its own database, talking to a
// sandbox of its own that accepts simSecretID/simSecretKey.
type testEnv struct {
	t        *testing.T
	srv      *httptest.Server
	svc      *auth.Service
	accounts *accounts.Service
	sim      *tcsimtest.Server
	pool     *pgxpool.Pool
	// sender sends what the queue holds when a test says so: the queue
	// is never started, so a test decides when a send happens.
	sender *sending.Sender
}

// newEnv starts a console on a fresh database; edit changes its Deps.
func newEnv(t *testing.T, edit ...func(*Deps)) *testEnv {
	t.Helper()
	return newEnvOn(t, dbtest.New(t), edit...)
}

// newEnvOn is newEnv on a pool the test made (one with a tracer, say).
func newEnvOn(t *testing.T, pool *pgxpool.Pool, edit ...func(*Deps)) *testEnv {
	t.Helper()
	svc := newAuth(t, pool)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{simSecretID: simSecretKey},
		// The instance orderstest's RenewInstance body renews.
		Resources: []tcsim.Resource{{ID: "cfwi-0a1b2c3d", Product: "p_cloudfirewall"}}})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL})
	if err != nil {
		t.Fatal(err)
	}
	deps := Deps{Log: discard(), DB: pool, Auth: svc, Accounts: newAccounts(t, pool), TencentCloud: client}
	// Wired as serve wires them: approvals and "Send now" queue River jobs
	// in their transactions; the sender works on the service without hooks.
	base := orders.NewService(pool)
	deps.Sender = sending.New(pool, base, deps.Accounts, client, sending.Config{Replica: "web-test"}, nil)
	queue, err := jobs.New(pool, jobs.Config{Sender: deps.Sender})
	if err != nil {
		t.Fatal(err)
	}
	deps.Orders = base.WithHooks(orders.Hooks{Send: queue})
	deps.SandboxCalls = func() []SandboxCall { return sandboxCalls(sim.Calls()) }
	deps.History = history.NewService(pool).WithSummary(ExportSummary)
	deps.AuditChecks = queue
	keys, err := secrets.NewKeyring("k1", testMasterKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	deps.Notify = notify.NewService(pool, keys, queue)
	for _, f := range edit {
		f(&deps)
	}
	srv := httptest.NewServer(New(deps))
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, svc: svc, accounts: deps.Accounts, sim: sim, pool: pool, sender: deps.Sender}
}

// newServer starts a console with no database, for pages that need none.
func newServer(t *testing.T, deps Deps) *httptest.Server {
	t.Helper()
	if deps.Auth == nil {
		deps.Auth = newAuth(t, nil)
	}
	if deps.Accounts == nil {
		deps.Accounts = newAccounts(t, nil)
	}
	srv := httptest.NewServer(New(deps))
	t.Cleanup(srv.Close)
	return srv
}

// user creates a user with the roles and returns its username and password.
func (e *testEnv) user(username string, roles ...auth.Role) (auth.User, string) {
	e.t.Helper()
	pw := "password of " + username + " is long"
	u, _, err := e.svc.CreateUser(context.Background(), auth.SystemActor("test"), auth.NewUser{
		Username: username, Roles: roles, Password: pw,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u, pw
}

// client is a browser-like HTTP client: it keeps cookies and does not
// follow redirects, so tests see each 303.
type client struct {
	t    *testing.T
	base string
	jar  *cookiejar.Jar
	hc   *http.Client
}

func (e *testEnv) client() *client { return newClient(e.t, e.srv.URL) }

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, jar: jar, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a client signed in as a new user with the roles.
func (e *testEnv) loggedIn(username string, roles ...auth.Role) (*client, auth.User) {
	e.t.Helper()
	u, pw := e.user(username, roles...)
	c := e.client()
	c.login(username, pw)
	return c, u
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form with the client's CSRF token, as a page's form would.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", c.csrf())
	}
	return c.postRaw(path, form, nil)
}

// postRaw sends a form as given, with extra headers.
func (c *client) postRaw(path string, form url.Values, headers map[string]string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the token the console puts in this client's forms, fetching
// a page first when the client has none yet.
func (c *client) csrf() string {
	c.t.Helper()
	if v := c.cookie(csrfCookie); v != nil {
		return v.Value
	}
	_, body := c.get("/login")
	if m := csrfInput.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	if v := c.cookie(csrfCookie); v != nil {
		return v.Value
	}
	c.t.Fatal("no CSRF token to be had")
	return ""
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// setCookie puts a cookie in the jar, as a replayed copy would be.
func (c *client) setCookie(ck *http.Cookie) {
	u, _ := url.Parse(c.base)
	c.jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: "/"}})
}

func (c *client) login(username, password string) {
	c.t.Helper()
	resp, body := c.post("/login", url.Values{"username": {username}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login as %s: status %d\n%s", username, resp.StatusCode, body)
	}
}

// location is a redirect's target without the scheme and host.
func location(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if u, err := url.Parse(loc); err == nil && u.Host != "" {
		return u.RequestURI()
	}
	return loc
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// account adds a stored Tencent Cloud account through the service.
func (e *testEnv) account(name, secretID, secretKey string) accounts.Account {
	e.t.Helper()
	a, err := e.accounts.Create(context.Background(), auth.SystemActor("test"), accounts.NewAccount{
		Name: name, KeySource: accounts.KeysStored,
		Keys: accounts.Keys{SecretID: secretID, SecretKey: secrets.NewString(secretKey)},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// sandboxCalls converts the sandbox's record as serve does (webCalls in
// cmd/console/serve_sandbox.go).
func sandboxCalls(calls []tcsim.Call) []SandboxCall {
	out := make([]SandboxCall, len(calls))
	for i, c := range calls {
		out[i] = SandboxCall{
			Seq: c.Seq, Time: c.Time, Action: c.Action, SecretID: c.SecretID, Params: c.Params,
			Outcome: c.Outcome, RequestID: c.RequestID, Bought: c.Bought, Orders: c.Orders,
		}
	}
	return out
}
