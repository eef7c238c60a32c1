package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
)

func noEnv(string) string { return "" }

func TestSimServesUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() {
		getenv := func(k string) string {
			if k == "CONSOLE_SIM_KEYS" {
				return "AKIDclitest0001:cli-secret-key"
			}
			return ""
		}
		done <- run(ctx, []string{"sim", "-addr", "127.0.0.1:0", "-balance", "4200"},
			getenv, strings.NewReader(""), stdout, &stderr)
		stdout.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "sandbox listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("stdout line %q", line)
	}
	c, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	bal, res, err := c.CheckCredentials(ctx, tcapi.Credentials{SecretID: "AKIDclitest0001", SecretKey: "cli-secret-key"})
	if err != nil || tcapi.Deref(bal.Balance) != 4200 {
		t.Fatalf("check credentials: %s %v", res.Outcome, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("sim returned %v", err)
	}
	if strings.Contains(stderr.String(), "cli-secret-key") {
		t.Fatalf("the log holds the key: %s", stderr.String())
	}
}

func TestSimRefusesBadKeysWithoutRepeatingThem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := file("good", "AKIDx:a-secret\n")
	for _, tc := range []struct {
		env  string
		args []string
	}{
		{"", []string{"sim"}},
		{"no-colon-secret", []string{"sim"}},
		{":only-a-secret", []string{"sim"}},
		{"AKIDx:one-secret,AKIDx:two-secret", []string{"sim"}},
		{"AKIDx:a-secret", []string{"sim", "-balance", "-1"}},
		{"", []string{"sim", "-keys-file", file("bad", "# comment\nAKIDx:one-secret\nno-colon-secret\n")}},
		{"", []string{"sim", "-keys-file", filepath.Join(dir, "missing")}},
		{"", []string{"sim", "-keys-file", file("empty", "# only a comment\n")}},
		{"AKIDy:b-secret", []string{"sim", "-keys-file", good}},
	} {
		var stderr strings.Builder
		getenv := func(k string) string {
			if k == "CONSOLE_SIM_KEYS" {
				return tc.env
			}
			return ""
		}
		err := run(context.Background(), tc.args, getenv, strings.NewReader(""), io.Discard, &stderr)
		if !errors.Is(err, errUsage) {
			t.Errorf("%q %v: %v, want a usage error", tc.env, tc.args, err)
			continue
		}
		if strings.Contains(err.Error()+stderr.String(), "secret") {
			t.Errorf("%q %v: the message repeats a key: %v %s", tc.env, tc.args, err, stderr.String())
		}
	}
}

// A key on the command line is visible to every user through ps: sim
// refuses it, says where keys go instead, and does not repeat it.
func TestSimRefusesKeysOnTheCommandLine(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"sim", "-key", "AKIDx:a-secret"},
		{"sim", "-key=AKIDx:a-secret", "-addr", "127.0.0.1:0"},
	} {
		env := func(k string) string {
			if k == "CONSOLE_SIM_KEYS" {
				return "AKIDy:b-secret"
			}
			return ""
		}
		var stderr strings.Builder
		err := run(context.Background(), args, env, strings.NewReader(""), io.Discard, &stderr)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "CONSOLE_SIM_KEYS") || !strings.Contains(err.Error(), "-keys-file") {
			t.Fatalf("%v: %v, want a usage error naming CONSOLE_SIM_KEYS and -keys-file", args, err)
		}
		if strings.Contains(err.Error()+stderr.String(), "secret") {
			t.Fatalf("%v: the message repeats the key: %v %s", args, err, stderr.String())
		}
	}
}

func TestParseSimKeys(t *testing.T) {
	t.Parallel()
	keys, err := parseSimKeys("# sandbox keys\nAKIDa:key-a, AKIDb:key-b\n\n  AKIDc:key:with:colons  \n", "test")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"AKIDa": "key-a", "AKIDb": "key-b", "AKIDc": "key:with:colons"}
	if len(keys) != len(want) {
		t.Fatalf("keys = %d entries, want %v", len(keys), want)
	}
	for id, k := range want {
		if keys[id] != k {
			t.Fatalf("key of %s is wrong", id)
		}
	}
}

// A keys file works like the variable.
func TestSimReadsAKeysFile(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(p, []byte("AKIDfile0001:file-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := simKeys(env{getenv: noEnv}, p)
	if err != nil || keys["AKIDfile0001"] != "file-secret" {
		t.Fatalf("simKeys = %d keys, %v", len(keys), err)
	}
}
