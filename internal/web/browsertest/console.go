// Package browsertest drives the real console in a real browser: it builds
// the console binary once per test package, starts `console serve` on a
// random loopback port against a database of its own for each test, and
// opens a fresh headless Chromium on it with chromedp.
//
// Why a built binary and not run() in-process: the test then exercises what
// ships (flags, environment, schema check, graceful stop), a crash in the
// console cannot take the test process with it, and any package may use
// this harness (run() lives in package main, which nothing can import).
// Building costs one link, about a second, per test package.
//
// Use it from a package's TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		c := browsertest.StartConsole(t)
//		pw := c.CreateUser(t, "alice", auth.RoleRequester)
//		b := browsertest.NewBrowser(t, c)
//		b.Login("alice", pw)
//	}
package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
)

// consoleBin is the binary Main built; empty outside Main.
var consoleBin string

// Main builds the console, runs the package's tests and removes the build.
// Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(mainRun(m))
}

func mainRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "dealdesk-browsertest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }() // a temporary build; the OS cleans up what is left
	consoleBin = filepath.Join(dir, "console")
	cmd := exec.Command("go", "build", "-o", consoleBin, "dealdesk/cmd/console")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "browsertest: building the console: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// Console is a running `console serve` with a database of its own.
type Console struct {
	// URL is the console's base URL, such as http://127.0.0.1:41234.
	URL string
	// DatabaseURL is its database, for seeding and for checks.
	DatabaseURL string
	// Auth is a users service on the same database, for seeding users.
	Auth *auth.Service
	logs *syncBuffer
}

// sessionKey is fixed: each console has its own database, so sharing the
// key across tests shares nothing that matters.
var sessionKey = bytes.Repeat([]byte{0x5a}, 32)

// StartConsole starts a console in sandbox mode on a random loopback port
// with a fresh migrated database. It stops when the test ends; its log is
// printed if the test failed. env adds settings (NAME=value), and may
// replace the defaults (such as CONSOLE_ADDR).
func StartConsole(t *testing.T, env ...string) *Console {
	t.Helper()
	if consoleBin == "" {
		t.Fatal("browsertest: the console was not built; call browsertest.Main(m) from TestMain")
	}
	dbURL := dbtest.NewURL(t)
	key := base64.StdEncoding.EncodeToString(sessionKey)
	cmd := exec.Command(consoleBin, "serve")
	// Only what the console needs: a stray CONSOLE_* in the developer's
	// environment must not change what the test sees.
	cmd.Env = []string{
		"DATABASE_URL=" + dbURL,
		"CONSOLE_ADDR=127.0.0.1:0",
		"CONSOLE_SESSION_KEY=" + key,
		"CONSOLE_MASTER_KEY=" + key,
		"CONSOLE_SANDBOX=true",
		"CONSOLE_LOG_LEVEL=info",
	}
	// exec keeps the last of duplicate keys, so env overrides the above.
	cmd.Env = append(cmd.Env, env...)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: start console: %v", err)
	}
	exited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r)
		exited <- cmd.Wait()
	}()
	c := &Console{DatabaseURL: dbURL, logs: logs}
	t.Cleanup(func() { c.stop(t, cmd, exited) })

	const prefix = "console listening on "
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, prefix) {
			t.Fatalf("browsertest: console did not start (first line %q); log:\n%s", line, logs.String())
		}
		c.URL = strings.TrimSpace(strings.TrimPrefix(line, prefix))
	case <-time.After(60 * time.Second):
		t.Fatalf("browsertest: console did not say where it listens; log:\n%s", logs.String())
	}

	svc, err := auth.NewService(dbtest.Open(t, dbURL), auth.Config{SessionKey: sessionKey, IdleTimeout: time.Hour, MaxAge: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	c.Auth = svc
	return c
}

// stop sends SIGTERM, as an orchestrator would, and waits for the console.
func (c *Console) stop(t *testing.T, cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		// SIGTERM is a clean stop: anything but exit status 0 is a fault.
		if err != nil {
			t.Errorf("browsertest: console exited: %v", err)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Error("browsertest: console did not stop after SIGTERM")
	}
	if t.Failed() {
		t.Logf("console log:\n%s", c.logs.String())
	}
}

// CreateUser creates a user with the roles and returns its password.
func (c *Console) CreateUser(t *testing.T, username string, roles ...auth.Role) string {
	t.Helper()
	pw := "browser password of " + username
	_, _, err := c.Auth.CreateUser(context.Background(), auth.SystemActor("browsertest"), auth.NewUser{
		Username: username, DisplayName: strings.ToUpper(username[:1]) + username[1:], Roles: roles, Password: pw,
	})
	if err != nil {
		t.Fatalf("browsertest: create user %s: %v", username, err)
	}
	return pw
}

// syncBuffer is a log sink safe for the console's writer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Logs is what the console has logged so far.
func (c *Console) Logs() string { return c.logs.String() }
