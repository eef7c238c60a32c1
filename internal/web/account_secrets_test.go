package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/secrets"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// Canaries: made-up secrets the test types into the console, then looks for
// everywhere the console writes.
const (
	leakSecretID    = "AKIDleakCANARYaccount000000000000001"
	leakSecretKey   = "LeakCanarySecretKey0123456789abcd"
	leakToken       = "LeakCanaryStsToken.0123456789"
	leakReplacedKey = "LeakCanaryReplacedKey98765432100"
	envSecretID     = "AKIDleakCANARYenvironment0000000002"
	envSecretKey    = "LeakCanaryEnvironmentKey24680aceg"
)

var canaries = []string{leakSecretKey, leakToken, leakReplacedKey, envSecretKey}

// logBuffer collects every log line, safe for the server's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// recorder keeps every answer a client got: status line, headers and body.
type recorder struct {
	*client
	pages []string
}

func (r *recorder) keep(method, path string, resp *http.Response, body string) (*http.Response, string) {
	var h strings.Builder
	_ = resp.Header.Write(&h)
	r.pages = append(r.pages, method+" "+path+" → "+resp.Status+"\n"+h.String()+"\n"+body)
	return resp, body
}

func (r *recorder) get(path string) (*http.Response, string) {
	r.t.Helper()
	resp, body := r.client.get(path)
	return r.keep("GET", path, resp, body)
}

func (r *recorder) post(path string, form url.Values) (*http.Response, string) {
	r.t.Helper()
	resp, body := r.client.post(path, form)
	return r.keep("POST", path, resp, body)
}

func (r *recorder) want(status int, resp *http.Response, what string) {
	r.t.Helper()
	if resp.StatusCode != status {
		r.t.Fatalf("%s: status %d, want %d", what, resp.StatusCode, status)
	}
}

// TestSecretKeyNeverAppearsInClear adds accounts through the HTTP handlers
// with known secrets, drives every page and action (mistakes, checks that
// pass and fail, refusals, error pages), then looks for the secrets in every
// page served, every log line written (console and sandbox, at debug level),
// every row of every table, and the audit details.
func TestSecretKeyNeverAppearsInClear(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sim := tcsimtest.Start(t, tcsim.Options{
		Keys:   map[string]string{leakSecretID: leakSecretKey, envSecretID: envSecretKey},
		Tokens: map[string]string{leakSecretID: leakToken},
		Log:    log.With("component", "tcsim"),
	})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL})
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := secrets.NewKeyring("k1", testMasterKey, nil)
	environment := map[string]string{accounts.EnvSecretID: envSecretID, accounts.EnvSecretKey: envSecretKey}
	env := newEnv(t, func(d *Deps) {
		d.Log, d.TencentCloud = log, client
		svc, err := accounts.NewService(d.DB.(db.Pool), accounts.Config{Keys: keys, Getenv: func(k string) string { return environment[k] }})
		if err != nil {
			t.Fatal(err)
		}
		d.Accounts = svc
	})
	c, _ := env.loggedIn("root", auth.RoleAdmin)
	admin := &recorder{client: c}

	// Adding: a mistake first, with every secret typed in; then for real.
	resp, _ := admin.post("/admin/accounts", url.Values{"name": {""}, "key_source": {"stored"},
		"secret_id": {leakSecretID}, "secret_key": {leakSecretKey}, "token": {leakToken}})
	admin.want(http.StatusUnprocessableEntity, resp, "add with a mistake")
	resp, _ = admin.post("/admin/accounts", url.Values{"name": {"Canary"}, "key_source": {"stored"},
		"secret_id": {leakSecretID}, "secret_key": {leakSecretKey}, "token": {leakToken}})
	admin.want(http.StatusSeeOther, resp, "add")
	path := location(resp)
	admin.get(path)
	admin.get("/admin/accounts")
	_, body := admin.post(path+"/check", nil)
	if !strings.Contains(body, `data-testid="check-ok"`) {
		t.Fatal("the check with the stored key and token failed: the test proves little")
	}
	resp, _ = admin.post("/admin/accounts", url.Values{"name": {"canary"}, "key_source": {"stored"},
		"secret_id": {leakSecretID}, "secret_key": {leakSecretKey}})
	admin.want(http.StatusUnprocessableEntity, resp, "add with a taken name")

	// Replacing: a mistake, then a key the sandbox refuses, then checks.
	resp, _ = admin.post(path+"/keys", url.Values{"secret_id": {"not an id"}, "secret_key": {leakReplacedKey}, "token": {leakToken}})
	admin.want(http.StatusUnprocessableEntity, resp, "replace with a mistake")
	resp, _ = admin.post(path+"/keys", url.Values{"secret_id": {leakSecretID}, "secret_key": {leakReplacedKey}})
	admin.want(http.StatusSeeOther, resp, "replace")
	admin.get(path)
	if _, body := admin.post(path+"/check", nil); !strings.Contains(body, "AuthFailure.SignatureFailure") {
		t.Fatal("the check with the replaced key did not fail as expected")
	}
	admin.post(path+"/disable", nil)
	admin.get(path)
	admin.post(path+"/check", nil)
	admin.post(path+"/enable", nil)
	admin.get(path)

	// An account that reads its keys from the environment.
	resp, _ = admin.post("/admin/accounts", url.Values{"name": {"From env"}, "key_source": {"environment"}, "secret_key": {envSecretKey}})
	admin.want(http.StatusUnprocessableEntity, resp, "environment account with a key typed in")
	resp, _ = admin.post("/admin/accounts", url.Values{"name": {"From env"}, "key_source": {"environment"}})
	admin.want(http.StatusSeeOther, resp, "environment account")
	envPath := location(resp)
	if _, body := admin.post(envPath+"/check", nil); !strings.Contains(body, `data-testid="check-ok"`) {
		t.Fatal("the environment account's check failed")
	}

	// Refusals and error pages.
	sandbox, _, err := env.accounts.EnsureSandboxAccount(context.Background(), auth.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	resp, _ = admin.post(accountPath(sandbox.ID)+"/keys", url.Values{"secret_id": {leakSecretID}, "secret_key": {leakSecretKey}})
	admin.want(http.StatusConflict, resp, "replace the sandbox keys")
	resp, _ = admin.get("/admin/accounts/424242")
	admin.want(http.StatusNotFound, resp, "a missing account")
	resp, _ = admin.post(path+"/keys", url.Values{"_csrf": {"forged"}, "secret_id": {leakSecretID}, "secret_key": {leakSecretKey}})
	admin.want(http.StatusForbidden, resp, "a forged form")
	rc, _ := env.loggedIn("rita", auth.RoleRequester)
	requester := &recorder{client: rc}
	resp, _ = requester.post("/admin/accounts", url.Values{"name": {"x"}, "key_source": {"stored"}, "secret_id": {leakSecretID}, "secret_key": {leakSecretKey}})
	admin.pages = append(admin.pages, requester.pages...)
	admin.want(http.StatusForbidden, resp, "a requester adding an account")

	// Pages.
	for _, page := range admin.pages {
		for _, secret := range canaries {
			if strings.Contains(page, secret) {
				t.Errorf("a page holds a secret in clear:\n%s", page)
			}
		}
	}

	// Log lines: the capture works (it saw the checks), and holds no secret.
	out := logs.String()
	if !strings.Contains(out, "tencent cloud credentials checked") || !strings.Contains(out, "tcsim call") || !strings.Contains(out, "status=422") {
		t.Fatalf("the log capture missed the requests:\n%s", out)
	}
	for line := range strings.SplitSeq(out, "\n") {
		for _, secret := range canaries {
			if strings.Contains(line, secret) {
				t.Errorf("a log line holds a secret: %s", line)
			}
		}
	}

	// Every row of every table, as text, in every encoding a leak could take.
	assertNoSecretInDatabase(t, env)

	// Audit details name the masked SecretId and never a secret.
	for _, p := range []string{path, envPath, accountPath(sandbox.ID)} {
		evs, err := db.AuditEventsFor(context.Background(), env.pool, "tencentcloud_account:"+strings.TrimPrefix(p, "/admin/accounts/"))
		if err != nil || len(evs) == 0 {
			t.Fatalf("audit events of %s: %v", p, err)
		}
		for _, e := range evs {
			raw, _ := json.Marshal(e.Details)
			for _, secret := range append(canaries, leakSecretID) {
				if strings.Contains(string(raw), secret) {
					t.Errorf("audit event %s holds %q: %s", e.Action, secret, raw)
				}
			}
		}
	}

	// What is stored opens as the right row and column only.
	id := accountIDFromPath(t, path)
	row, err := db.GetTencentCloudAccount(context.Background(), env.pool, id)
	if err != nil {
		t.Fatal(err)
	}
	right := "tencentcloud_accounts:" + itoa(id) + ":secret_key:" + leakSecretID
	if plain, err := keys.Open(*row.Keys.SecretKey, right); err != nil || string(plain) != leakReplacedKey {
		t.Fatalf("the stored key does not open as its own row: %v", err)
	}
	for _, wrong := range []string{
		"tencentcloud_accounts:" + itoa(sandbox.ID) + ":secret_key:" + leakSecretID,
		"tencentcloud_accounts:" + itoa(id) + ":token:" + leakSecretID,
	} {
		if _, err := keys.Open(*row.Keys.SecretKey, wrong); !errors.Is(err, secrets.ErrOpen) {
			t.Errorf("the stored key opened as %s: %v", wrong, err)
		}
	}
}

// assertNoSecretInDatabase dumps every row of every table in the public
// schema with SELECT t::text and looks for each canary as text, as hex (how
// a bytea column reads) and as base64.
func assertNoSecretInDatabase(t *testing.T, env *testEnv) {
	t.Helper()
	ctx := context.Background()
	rows, err := env.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var forms []string
	for _, s := range canaries {
		forms = append(forms, s, hex.EncodeToString([]byte(s)),
			base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)))
	}
	seen := map[string]int{}
	for _, table := range tables {
		rows, err := env.pool.Query(ctx, "SELECT t::text FROM "+pgx.Identifier{table}.Sanitize()+" AS t")
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		seen[table] = len(texts)
		for _, text := range texts {
			for _, f := range forms {
				if strings.Contains(text, f) {
					t.Errorf("table %s holds a secret (%s…) in a row: %s", table, f[:8], text)
				}
			}
		}
	}
	// The dump saw what it should have, so finding nothing means something.
	if seen["tencentcloud_accounts"] != 3 || seen["audit_events"] < 8 || seen["sessions"] == 0 {
		t.Fatalf("the dump missed rows: %v", seen)
	}
}

func accountIDFromPath(t *testing.T, path string) int64 {
	t.Helper()
	m := accountIDInPath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("not an account path: %q", path)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}
