package browsertest

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"dealdesk/internal/db/dbtest"
)

// ProcessConfig says how StartProcess starts a console. StartConsole is the
// simple case (sandbox mode, a database of its own); a process test needs
// more: several consoles on one database, its own Tencent Cloud endpoint,
// short timeouts, and a way to kill one.
type ProcessConfig struct {
	// Name labels the process in failure logs, such as "A" or "B".
	Name string
	// DatabaseURL is the database to serve; empty means a fresh migrated
	// one. Give several processes the same URL to run replicas.
	DatabaseURL string
	// Env is added to the defaults as KEY=VALUE; a key set here replaces
	// the default. Without CONSOLE_TENCENTCLOUD_ENDPOINT the console runs
	// in sandbox mode: a test never calls the real Tencent Cloud.
	Env []string
}

// Process is a running (or ended) `console serve`.
type Process struct {
	// Name is ProcessConfig.Name.
	Name string
	// URL is the console's base URL, such as http://127.0.0.1:41234.
	URL string
	// DatabaseURL is the database it serves.
	DatabaseURL string

	cfg    ProcessConfig
	cmd    *exec.Cmd
	logs   *syncBuffer
	exited chan struct{}
	err    error // cmd.Wait's answer, once exited is closed
}

// MasterKey is the CONSOLE_MASTER_KEY StartProcess gives consoles unless
// ProcessConfig.Env names another: a test seals account keys with it so the
// consoles can open them.
func MasterKey() []byte { return append([]byte(nil), sessionKey...) }

// StartProcess starts `console serve` on a random loopback port and waits
// until it listens. When the test ends the process gets SIGTERM unless it
// has ended already; its log is printed if the test failed.
func StartProcess(t *testing.T, cfg ProcessConfig) *Process {
	t.Helper()
	if consoleBin == "" {
		t.Fatal("browsertest: the console was not built; call browsertest.Main(m) from TestMain")
	}
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = dbtest.NewURL(t)
	}
	if cfg.Name == "" {
		cfg.Name = "console"
	}
	cmd := exec.Command(consoleBin, "serve")
	cmd.Env = processEnv(cfg)
	p := &Process{Name: cfg.Name, DatabaseURL: cfg.DatabaseURL, cfg: cfg, cmd: cmd, logs: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("browsertest: start console %s: %v", cfg.Name, err)
	}
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r)
		p.err = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		if !p.Ended() {
			p.Stop(t)
		}
		if t.Failed() {
			t.Logf("console %s (pid %d) log:\n%s", p.Name, p.PID(), p.Log())
		}
	})

	const prefix = "console listening on "
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, prefix) {
			t.Fatalf("browsertest: console %s did not start (first line %q)", cfg.Name, line)
		}
		p.URL = strings.TrimSpace(strings.TrimPrefix(line, prefix))
	case <-time.After(60 * time.Second):
		t.Fatalf("browsertest: console %s did not say where it listens", cfg.Name)
	}
	return p
}

// processEnv is only what the console needs: a stray CONSOLE_* in the
// developer's environment must not change what the test sees.
func processEnv(cfg ProcessConfig) []string {
	key := base64.StdEncoding.EncodeToString(sessionKey)
	env := map[string]string{
		"DATABASE_URL":        cfg.DatabaseURL,
		"CONSOLE_ADDR":        "127.0.0.1:0",
		"CONSOLE_SESSION_KEY": key,
		"CONSOLE_MASTER_KEY":  key,
		"CONSOLE_LOG_LEVEL":   "info",
	}
	for _, kv := range cfg.Env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	if env["CONSOLE_TENCENTCLOUD_ENDPOINT"] == "" {
		env["CONSOLE_SANDBOX"] = "true"
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// Restart starts another console, named name, with the same configuration
// (the same database): what an orchestrator does after a replica died.
func (p *Process) Restart(t *testing.T, name string) *Process {
	t.Helper()
	cfg := p.cfg
	cfg.Name = name
	return StartProcess(t, cfg)
}

// PID is the process id. The console names itself "host/pid" in the
// replica column of send attempts.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Log is what the console has written to stderr so far.
func (p *Process) Log() string { return p.logs.String() }

// Ended reports whether the process has exited.
func (p *Process) Ended() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Kill sends SIGKILL, as the kernel's OOM killer or a lost machine would:
// no shutdown, no deferred code, connections cut mid-call. It returns once
// the process is gone.
func (p *Process) Kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("browsertest: kill console %s: %v", p.Name, err)
	}
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("browsertest: console %s still runs 30s after SIGKILL", p.Name)
	}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("browsertest: console %s ended before it was killed: %v", p.Name, p.err)
	}
}

// Stop sends SIGTERM, as an orchestrator would, and waits for a clean exit.
func (p *Process) Stop(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
		// SIGTERM is a clean stop: anything but exit status 0 is a fault.
		if p.err != nil {
			t.Errorf("browsertest: console %s exited: %v", p.Name, p.err)
		}
	case <-time.After(60 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		t.Errorf("browsertest: console %s did not stop within 60s of SIGTERM", p.Name)
	}
}

// String names the process for messages.
func (p *Process) String() string { return fmt.Sprintf("console %s (pid %d)", p.Name, p.PID()) }
