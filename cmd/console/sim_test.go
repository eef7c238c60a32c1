package main

import (
	"bufio"
	"context"
	"errors"
	"io"
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
		done <- run(ctx, []string{"sim", "-addr", "127.0.0.1:0", "-key", "AKIDclitest0001:cli-secret-key", "-balance", "4200"},
			noEnv, strings.NewReader(""), stdout, &stderr)
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
	for _, args := range [][]string{
		{"sim"},
		{"sim", "-key", "no-colon-secret"},
		{"sim", "-key", ":only-a-secret"},
		{"sim", "-key", "AKIDx:one-secret", "-key", "AKIDx:two-secret"},
		{"sim", "-key", "AKIDx:a-secret", "-balance", "-1"},
	} {
		var stderr strings.Builder
		err := run(context.Background(), args, noEnv, strings.NewReader(""), io.Discard, &stderr)
		if !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
			continue
		}
		if strings.Contains(err.Error()+stderr.String(), "secret") {
			t.Errorf("%v: the message repeats a key: %v %s", args, err, stderr.String())
		}
	}
}
