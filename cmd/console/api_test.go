package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/api"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// TestAPICommands drives `console api` against a console's API: create
// from a file (twice: one order), list, submit, and watch to the end.
func TestAPICommands(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	authSvc, err := auth.NewService(pool, auth.Config{SessionKey: make([]byte, 32), IdleTimeout: time.Hour, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	svc := orders.NewService(pool)
	srv := httptest.NewServer(api.New(api.Deps{Auth: authSvc, Orders: svc, History: history.NewService(pool)}))
	t.Cleanup(srv.Close)

	u, _, err := authSvc.CreateUser(context.Background(), auth.SystemActor("test"), auth.NewUser{Username: "scripter", Roles: []auth.Role{auth.RoleRequester}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := authSvc.CreatePersonalToken(context.Background(), auth.Actor{UserID: u.ID}, auth.NewToken{Name: "cli", Scopes: []string{"read", "compose"}, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	account := orderstest.NewAccount(t, pool)
	file := filepath.Join(t.TempDir(), "order.json")
	body := `{"product":"tcb","account_id":` + strconv.FormatInt(account, 10) + `,"title":"From the CLI","justification":"A script","params":` + orderstest.TCBParams + `}`
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string {
		return map[string]string{"DEALDESK_URL": srv.URL + "/", "DEALDESK_TOKEN": tok.Secret}[k]
	}
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"api"}, args...), getenv, strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}

	out, err := cli("create", "-file", file)
	m := regexp.MustCompile(`^order (\d+)\tdraft`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("create: %q, %v", out, err)
	}
	if again, err := cli("create", "-file", file); err != nil || !strings.HasPrefix(again, "order "+m[1]+"\t") {
		t.Errorf("create again (same file, same key): %q, %v", again, err)
	}
	if out, err := cli("list", "-status", "draft"); err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, "From the CLI") {
		t.Errorf("list: %q, %v", out, err)
	}
	if out, err := cli("submit", "-id", m[1]); err != nil || !strings.Contains(out, "pending_approval") {
		t.Errorf("submit: %q, %v", out, err)
	}
	if _, err := cli("list", "-status", "nonsense"); err == nil || !strings.Contains(err.Error(), "422 invalid") {
		t.Errorf("bad filter: %v", err)
	}

	o, err := svc.Get(context.Background(), mustInt(t, m[1]))
	if err != nil {
		t.Fatal(err)
	}
	orderstest.Move(t, pool, svc, orders.Actor{}, o, orders.StatusApproved, orders.StatusSending, orders.StatusSucceeded)
	if out, err := cli("watch", "-id", m[1], "-every", "10ms", "-timeout", "10s"); err != nil || !strings.Contains(out, "succeeded") {
		t.Errorf("watch: %q, %v", out, err)
	}

	bad := func(k string) string {
		return map[string]string{"DEALDESK_URL": srv.URL, "DEALDESK_TOKEN": "ddk_revoked"}[k]
	}
	var outBuf, errBuf bytes.Buffer
	if err := run(context.Background(), []string{"api", "list"}, bad, strings.NewReader(""), &outBuf, &errBuf); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad token: %v", err)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
