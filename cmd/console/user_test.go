package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// console runs one console command against the database at url.
func console(t *testing.T, url, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, testEnv(url, nil), strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

// canSignIn reports whether username and password sign in.
func canSignIn(t *testing.T, url, username, password string) bool {
	t.Helper()
	svc, err := auth.NewService(dbtest.Open(t, url), auth.Config{SessionKey: make([]byte, 32), IdleTimeout: time.Hour, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.Login(context.Background(), auth.LoginInput{Username: username, Password: password, Client: auth.Client{RemoteAddr: "192.0.2.1"}})
	if err != nil && !errors.Is(err, auth.ErrLoginFailed) {
		t.Fatal(err)
	}
	return err == nil
}

var printedPassword = regexp.MustCompile(`password: ([A-Z2-7]{26})\n`)

func TestUserCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.NewURL(t)

	// add with a generated password prints it once.
	out, err := console(t, url, "", "user", "add", "-username", "Alice", "-role", "admin,approver", "-display-name", "Alice Liddell", "-email", "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	m := printedPassword.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "[approver admin]") {
		t.Fatalf("user add printed %q", out)
	}
	if !canSignIn(t, url, "alice", m[1]) {
		t.Fatal("the printed password does not sign in")
	}

	// add with -password-stdin prints no password.
	out, err = console(t, url, "bob's password is quite long\n", "user", "add", "-username", "bob", "-role", "requester", "-password-stdin")
	if err != nil || strings.Contains(out, "password:") {
		t.Fatalf("add -password-stdin: %q %v", out, err)
	}
	if !canSignIn(t, url, "bob", "bob's password is quite long") {
		t.Fatal("the password from stdin does not sign in")
	}

	// Mistakes are refused with a reason and change nothing.
	for _, args := range [][]string{
		{"user", "add", "-username", "ALICE", "-role", "requester"},
		{"user", "add", "-username", "carol", "-role", "root"},
		{"user", "add", "-username", "carol"},
		{"user", "add", "-username", "carol", "-role", "requester", "-password-stdin"}, // "short" below
		{"user", "set-password", "-username", "nobody"},
	} {
		if _, err := console(t, url, "short\n", args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}

	// set-password from stdin replaces the password.
	if _, err := console(t, url, "bob's second password is long\n", "user", "set-password", "-username", "BOB", "-password-stdin"); err != nil {
		t.Fatal(err)
	}
	if canSignIn(t, url, "bob", "bob's password is quite long") || !canSignIn(t, url, "bob", "bob's second password is long") {
		t.Fatal("set-password did not replace the password")
	}
	// set-password without stdin generates one.
	out, err = console(t, url, "", "user", "set-password", "-username", "bob")
	if m := printedPassword.FindStringSubmatch(out); err != nil || m == nil || !canSignIn(t, url, "bob", m[1]) {
		t.Fatalf("generated set-password: %q %v", out, err)
	}

	// disable ends sign-in; enable restores it.
	if _, err := console(t, url, "", "user", "disable", "-username", "bob"); err != nil {
		t.Fatal(err)
	}
	bobPW := "bob's third password, long enough"
	if _, err := console(t, url, bobPW+"\n", "user", "set-password", "-username", "bob", "-password-stdin"); err != nil {
		t.Fatal(err)
	}
	if canSignIn(t, url, "bob", bobPW) {
		t.Fatal("a disabled user signed in")
	}
	if _, err := console(t, url, "", "user", "enable", "-username", "bob"); err != nil || !canSignIn(t, url, "bob", bobPW) {
		t.Fatalf("enable: %v", err)
	}
	// The last admin cannot be disabled from the command line either.
	if _, err := console(t, url, "", "user", "disable", "-username", "alice"); err == nil || !strings.Contains(err.Error(), "last enabled admin") {
		t.Fatalf("disabling the last admin: %v", err)
	}

	out, err = console(t, url, "", "user", "list")
	if err != nil || !strings.Contains(out, "Alice Liddell") || !strings.Contains(out, "bob") {
		t.Fatalf("user list: %q %v", out, err)
	}

	// Every change is on the record, made by the system through the CLI.
	pool := dbtest.Open(t, url)
	evs, err := db.AuditEventsFor(context.Background(), pool, "user:2")
	if err != nil || len(evs) < 5 || evs[0].Actor != "system" || evs[0].Details["via"] != "cli" {
		t.Fatalf("audit: %+v %v", evs, err)
	}
}

func TestUserEnsureAdmin(t *testing.T) {
	t.Parallel()
	url := dbtest.NewURL(t)
	out, err := console(t, url, "", "user", "ensure-admin")
	m := printedPassword.FindStringSubmatch(out)
	if err != nil || m == nil || !strings.Contains(out, "username: admin") {
		t.Fatalf("first run: %q %v", out, err)
	}
	if !canSignIn(t, url, "admin", m[1]) {
		t.Fatal("the first admin cannot sign in")
	}
	// With a user present it prints nothing and changes nothing.
	if out, err := console(t, url, "", "user", "ensure-admin"); err != nil || out != "" {
		t.Fatalf("second run: %q %v", out, err)
	}
}

func TestUserHelp(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"user", "-help"}, func(string) string { return "" }, nil, &out, io.Discard); exitCode(err) != 0 {
		t.Fatalf("user -help: %v", err)
	}
	for _, sub := range []string{"add", "set-password", "disable", "ensure-admin"} {
		if !strings.Contains(out.String(), sub) {
			t.Errorf("user -help lacks %s", sub)
		}
		var sout bytes.Buffer
		if err := run(context.Background(), []string{"user", sub, "-help"}, func(string) string { return "" }, nil, &sout, io.Discard); exitCode(err) != 0 ||
			!strings.Contains(sout.String(), "Usage: console user "+sub) {
			t.Errorf("user %s -help: %q %v", sub, sout.String(), err)
		}
	}
	if err := run(context.Background(), []string{"user", "frobnicate"}, nil, nil, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown user command: exit %d", exitCode(err))
	}
}
