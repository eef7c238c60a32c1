package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/db"
)

var accountIDInPath = regexp.MustCompile(`^/admin/accounts/([0-9]+)$`)

// addAccount posts the add form and returns the new account's page path.
func addAccount(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	resp, body := c.post("/admin/accounts", form)
	if resp.StatusCode != http.StatusSeeOther || !accountIDInPath.MatchString(location(resp)) {
		t.Fatalf("add account: %d %s\n%s", resp.StatusCode, location(resp), body)
	}
	return location(resp)
}

func wantAll(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %s", what, w)
		}
	}
}

func TestAdminAddsAnAccountAndChecksItsCredentials(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, root := env.loggedIn("root", auth.RoleAdmin)

	_, body := admin.get("/admin/accounts")
	wantAll(t, "the empty list", body, `data-testid="no-accounts"`, `href="/admin/accounts" data-testid="nav-accounts"`)

	path := addAccount(t, admin, url.Values{"name": {"Production"}, "key_source": {"stored"},
		"secret_id": {simSecretID}, "secret_key": {simSecretKey}})
	_, body = admin.get(path)
	wantAll(t, "the new account's page", body, "Added the account Production.", `data-testid="account-secret-id">AKID****0001<`,
		`data-testid="account-key-source">stored<`, `data-testid="account-check"`, `data-testid="account-keys-form"`)

	_, body = admin.get("/admin/accounts")
	wantAll(t, "the list", body, ">Production</a>", ">AKID****0001</code>", `>active</span>`)

	// Checking makes the signed call; the sandbox accepts the keys.
	resp, body := admin.post(path+"/check", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("check: %d", resp.StatusCode)
	}
	wantAll(t, "the check result", body, `data-testid="check-ok"`, `data-testid="check-balance">1,000,000.00<`, `data-testid="check-request-id">`)
	if calls := env.sim.Calls(); len(calls) != 1 || calls[0].Action != "DescribeAccountBalance" || calls[0].SecretID != simSecretID || calls[0].Outcome != "Success" {
		t.Fatalf("sandbox calls %+v", calls)
	}

	// Every change is audited with the admin as actor.
	id := strings.TrimPrefix(path, "/admin/accounts/")
	evs, err := db.AuditEventsFor(context.Background(), env.pool, "tencentcloud_account:"+id)
	if err != nil || len(evs) != 1 || evs[0].Action != "tencentcloud_account.created" || evs[0].Actor != itoa(root.ID) || evs[0].RequestID == "" {
		t.Fatalf("audit %+v, %v", evs, err)
	}

	// Non-admins cannot check, and nothing is sent for them.
	requester, _ := env.loggedIn("rita", auth.RoleRequester)
	if resp, _ := requester.post(path+"/check", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("requester checking: %d", resp.StatusCode)
	}
	if _, body := requester.get("/"); strings.Contains(body, "nav-accounts") {
		t.Error("a requester sees the Accounts link")
	}
	if len(env.sim.Calls()) != 1 {
		t.Fatal("a refused check reached the sandbox")
	}

	for _, p := range []string{"/admin/accounts/424242", "/admin/accounts/abc", "/admin/accounts/-1/check"} {
		var resp *http.Response
		if strings.HasSuffix(p, "/check") {
			resp, _ = admin.post(p, nil)
		} else {
			resp, _ = admin.get(p)
		}
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestAddAccountShowsMistakesNextToTheirFields(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	env.account("Taken", simSecretID, simSecretKey)

	const typedKey = "Typed Secret Key 0042"
	resp, body := admin.post("/admin/accounts", url.Values{"name": {""}, "key_source": {"stored"},
		"secret_id": {"ABCD-not-a-secret-id"}, "secret_key": {typedKey}, "token": {"sts token 42"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", resp.StatusCode)
	}
	wantAll(t, "the re-rendered form", body,
		`aria-describedby="name-hint name-error"`, `id="name-error" data-testid="error-name">Enter a name`,
		`value="ABCD-not-a-secret-id"`, `aria-describedby="secret_id-hint secret_id-error"`, `id="secret_id-error" data-testid="error-secret_id">A SecretId starts with AKID`,
		`aria-describedby="secret_key-hint secret_key-error"`, `id="secret_key-error" data-testid="error-secret_key">The SecretKey holds a space`,
		`id="token-error" data-testid="error-token">The token holds a space`,
		`id="key_source-stored" name="key_source" value="stored" checked`, "Type it again")
	if strings.Contains(body, typedKey) || strings.Contains(body, "sts token 42") {
		t.Fatal("the form sent a typed secret back")
	}

	// Each field's own mistake, one at a time.
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"name taken", url.Values{"name": {"TAKEN"}, "key_source": {"stored"}, "secret_id": {simSecretID}, "secret_key": {simSecretKey}}, "name", "Another account has this name"},
		{"name too long", url.Values{"name": {strings.Repeat("x", 101)}, "key_source": {"stored"}, "secret_id": {simSecretID}, "secret_key": {simSecretKey}}, "name", "Use at most 100"},
		{"no secret id", url.Values{"name": {"a"}, "key_source": {"stored"}, "secret_key": {simSecretKey}}, "secret_id", "Enter the SecretId"},
		{"no secret key", url.Values{"name": {"a"}, "key_source": {"stored"}, "secret_id": {simSecretID}}, "secret_key", "Enter the SecretKey"},
		{"secret key not ASCII", url.Values{"name": {"a"}, "key_source": {"stored"}, "secret_id": {simSecretID}, "secret_key": {"密钥密钥"}}, "secret_key", "The SecretKey holds characters other than letters"},
		{"keys with environment", url.Values{"name": {"a"}, "key_source": {"environment"}, "secret_id": {simSecretID}}, "secret_id", "Leave this empty"},
		{"no key source", url.Values{"name": {"a"}}, "key_source", "Choose where the keys come from"},
	}
	for _, tt := range tests {
		resp, body := admin.post("/admin/accounts", tt.form)
		want := `id="` + tt.field + `-error" data-testid="error-` + tt.field + `">` + tt.want
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want 422 with %s", tt.name, resp.StatusCode, want)
		}
	}
	if list, _ := env.accounts.List(context.Background()); len(list) != 1 {
		t.Fatalf("a refused form saved something: %d accounts", len(list))
	}

	// An account from the environment needs no keys here.
	path := addAccount(t, admin, url.Values{"name": {"From env"}, "key_source": {"environment"}})
	_, body = admin.get(path)
	wantAll(t, "the environment account's page", body, `data-testid="account-secret-id">not set<`,
		`data-testid="account-unusable">This account takes its keys from the environment`)
}

func TestReplaceDisableEnableAndFailedChecks(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	path := accountPath(env.account("Ops", simSecretID, simSecretKey).ID)

	// A wrong SecretKey: the check shows the code, its meaning and the RequestId.
	resp, _ := admin.post(path+"/keys", url.Values{"secret_id": {simSecretID}, "secret_key": {"WrongSecretKey000000"}})
	if resp.StatusCode != http.StatusSeeOther || location(resp) != path {
		t.Fatalf("replace keys: %d %s", resp.StatusCode, location(resp))
	}
	if _, body := admin.get(path); !strings.Contains(body, "Stored new keys for Ops.") {
		t.Error("no flash after replacing keys")
	}
	_, body := admin.post(path+"/check", nil)
	wantAll(t, "the failed check", body, `data-testid="check-failed"`,
		`data-testid="check-error-code">AuthFailure.SignatureFailure<`,
		`data-testid="check-explanation">The signature is wrong: check the SecretKey`,
		`data-testid="check-explanation-zh">签名错误`, `data-testid="check-request-id">`)

	// An unknown SecretId.
	admin.post(path+"/keys", url.Values{"secret_id": {"AKIDnobodyKNOWSthis0000"}, "secret_key": {simSecretKey}})
	_, body = admin.post(path+"/check", nil)
	wantAll(t, "the unknown SecretId check", body, `data-testid="check-error-code">AuthFailure.SecretIdNotFound<`,
		`data-testid="check-explanation">The SecretId does not exist or has been disabled.`)

	// A mistake in the replace form comes back next to its field.
	resp, body = admin.post(path+"/keys", url.Values{"secret_id": {"AKIDkeptINTHEform0000"}, "secret_key": {""}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("replace with no key: %d", resp.StatusCode)
	}
	wantAll(t, "the replace form", body, `value="AKIDkeptINTHEform0000"`, `id="secret_key-error" data-testid="error-secret_key">Enter the SecretKey`)

	// Disabled: nothing is sent with the keys.
	resp, _ = admin.post(path+"/disable", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", resp.StatusCode)
	}
	_, body = admin.get(path)
	wantAll(t, "the disabled account", body, "Ops is disabled", `>disabled</span>`, `data-testid="account-enable"`)
	calls := len(env.sim.Calls())
	_, body = admin.post(path+"/check", nil)
	wantAll(t, "the disabled check", body, `data-testid="check-problem">This account is disabled.`)
	if len(env.sim.Calls()) != calls {
		t.Fatal("a disabled account's keys were sent")
	}
	if resp, _ := admin.post(path+"/enable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	if _, body := admin.get(path); !strings.Contains(body, "Ops is enabled.") || !strings.Contains(body, `data-testid="account-disable"`) {
		t.Error("not enabled again")
	}
}

func TestSandboxAccountKeysCannotBeReplaced(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	a, _, err := env.accounts.EnsureSandboxAccount(context.Background(), auth.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	path := accountPath(a.ID)
	_, body := admin.get(path)
	wantAll(t, "the sandbox account", body, `data-testid="account-sandbox"`)
	if strings.Contains(body, "account-keys-form") {
		t.Error("the sandbox account offers to replace its keys")
	}
	resp, body := admin.post(path+"/keys", url.Values{"secret_id": {simSecretID}, "secret_key": {simSecretKey}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, html.EscapeString(accounts.ErrSandboxKeys.Msg.String())) {
		t.Fatalf("replacing the sandbox keys: %d", resp.StatusCode)
	}
	if _, body := admin.get("/admin/accounts"); !strings.Contains(body, `data-testid="account-sandbox-`+itoa(a.ID)+`"`) {
		t.Error("the list has no sandbox badge")
	}
}
