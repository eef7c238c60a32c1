package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// testEnv returns a getenv for a console on a random port and the given database.
func testEnv(dbURL string, extra map[string]string) func(string) string {
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	m := map[string]string{
		"DATABASE_URL":        dbURL,
		"CONSOLE_ADDR":        "127.0.0.1:0",
		"CONSOLE_SESSION_KEY": key,
		"CONSOLE_MASTER_KEY":  key,
	}
	maps.Copy(m, extra)
	return func(k string) string { return m[k] }
}

// syncBuffer is a goroutine-safe log sink.
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

// startServe runs `console serve` in-process and returns its base URL, the
// channel run's error arrives on, and a stop function.
func startServe(t *testing.T, getenv func(string) string, args ...string) (string, <-chan error, context.CancelFunc, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve"}, args...), getenv, strings.NewReader(""), pw, logs)
		pw.CloseWithError(errors.New("console exited"))
		done <- err
	}()
	t.Cleanup(cancel)
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain
	if err != nil {
		cancel()
		t.Fatalf("console did not start: %v; logs:\n%s; run error: %v", err, logs.String(), <-done)
	}
	const prefix = "console listening on "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("unexpected first line %q", line)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, prefix)), done, cancel, logs
}

func TestServeRefusesOutdatedSchema(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve"}, testEnv(dbtest.NewEmptyURL(t), nil), strings.NewReader(""), &out, &errOut)
	if !errors.Is(err, db.ErrSchemaOutdated) || !strings.Contains(err.Error(), "console migrate") {
		t.Fatalf("err = %v, want a message saying to run console migrate", err)
	}
}

func TestServeMigratesWhenAskedAndShutsDownGracefully(t *testing.T) {
	t.Parallel()
	base, done, stop, logs := startServe(t, testEnv(dbtest.NewEmptyURL(t), nil), "-migrate", "-sandbox")
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	resp, err = http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "sandbox-banner") {
		t.Error("-sandbox did not show the sandbox banner")
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after a clean shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
	if !strings.Contains(logs.String(), "request_id=") || !strings.Contains(logs.String(), "stopped") {
		t.Errorf("logs lack request ids or the stop line:\n%s", logs.String())
	}
	// The job queue runs with the server and stops with it.
	if !strings.Contains(logs.String(), "job queue stopped") {
		t.Errorf("logs lack the job queue's stop line:\n%s", logs.String())
	}
}

func TestShutdownFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished") //nolint:errcheck // test handler
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, slog.New(slog.DiscardHandler), srv, ln, 30*time.Second) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel() // SIGTERM arrives while the request is being handled.

	// New connections are refused once shutdown has begun.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("shutdown returned (%v) before the in-flight request finished", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesMissingConfig(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"serve"}, func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "CONSOLE_MASTER_KEY") {
		t.Fatalf("err = %v", err)
	}
}

func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	url := dbtest.NewEmptyURL(t)
	var out bytes.Buffer
	getenv := testEnv(url, nil)
	if err := run(context.Background(), []string{"migrate", "-status"}, getenv, nil, &out, io.Discard); !errors.Is(err, db.ErrSchemaOutdated) {
		t.Fatalf("migrate -status on empty db: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "river migrations pending: 0") {
		t.Fatalf("migrate output %q", out.String())
	}
	if err := run(context.Background(), []string{"migrate", "-status"}, getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatalf("migrate -status after migrating: %v", err)
	}
}

func TestHelpAndUsage(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"serve", "migrate", "version"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{cmd, "-help"}, func(string) string { return "" }, nil, &out, io.Discard); exitCode(err) != 0 {
			t.Errorf("%s -help: exit %d", cmd, exitCode(err))
		}
		if !strings.Contains(out.String(), "Usage: console "+cmd) {
			t.Errorf("%s -help printed %q", cmd, out.String())
		}
	}
	if err := run(context.Background(), []string{"frobnicate"}, nil, nil, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown command: exit %d, want 2", exitCode(err))
	}
	if err := run(context.Background(), []string{"serve", "-bogus"}, func(string) string { return "" }, nil, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Errorf("unknown flag: exit %d, want 2", exitCode(err))
	}
}
