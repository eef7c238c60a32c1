package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auditanchor"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t)
	pool := dbtest.Open(t, url)
	for _, a := range []string{"one", "two", "three"} {
		if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test." + a}); err != nil {
			t.Fatal(err)
		}
	}
	getenv := testEnv(url, nil)
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("intact chain: %v (%s)", err, out.String())
	}
	if !strings.Contains(out.String(), "intact: 3 entries") {
		t.Fatalf("output %q", out.String())
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
		UPDATE audit_events SET subject = 'order:666' WHERE chain_seq = 2;
		ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err := run(ctx, []string{"audit", "verify"}, getenv, nil, &out, io.Discard)
	if !errors.Is(err, errChainBroken) || exitCode(err) == 0 {
		t.Fatalf("broken chain: err %v, exit %d", err, exitCode(err))
	}
	if !strings.Contains(out.String(), "BROKEN at chain entry 2") {
		t.Fatalf("output %q", out.String())
	}
}

// TestAuditVerifyWithAnchors: the table's owner rebuilds the chain from
// entry 2 onwards. `audit verify` alone still says intact (every link
// holds); with the anchors written before, it fails and names the anchor.
func TestAuditVerifyWithAnchors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t)
	pool := dbtest.Open(t, url)
	seed := bytes.Repeat([]byte{9}, ed25519.SeedSize)
	signer, err := auditanchor.NewSigner(seed)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "anchors.jsonl")
	var lines []string
	for range 3 {
		for _, a := range []string{"one", "two"} {
			if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test." + a}); err != nil {
				t.Fatal(err)
			}
		}
		seq, hash, err := db.AuditChainHead(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, signer.Sign(seq, hash, time.Now()).Line())
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Only the public key, as an auditor's machine would have.
	getenv := testEnv(url, map[string]string{"CONSOLE_AUDIT_ANCHOR_PUBLIC_KEY": base64.StdEncoding.EncodeToString(signer.Public())})
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "-anchors", file}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("before tampering: %v (%s)", err, out.String())
	}
	if !strings.Contains(out.String(), "3 anchors from") {
		t.Fatalf("output %q", out.String())
	}

	dbtest.RebuildAuditChain(t, pool, 3, "mallory")

	out.Reset()
	if err := run(ctx, []string{"audit", "verify"}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatalf("without anchors a rebuilt chain looks intact (the gap anchors close): %v (%s)", err, out.String())
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify", "-anchors", file}, getenv, nil, &out, io.Discard)
	if !errors.Is(err, errChainBroken) {
		t.Fatalf("with anchors: err %v (%s)", err, out.String())
	}
	// Entries 1 and 2 are untouched, so the first anchor (entry 2) holds;
	// the second (entry 4) names the rebuild.
	if !strings.Contains(out.String(), "BROKEN at chain entry 4") || !strings.Contains(out.String(), "line 2 of "+file) {
		t.Fatalf("output %q", out.String())
	}

	// A forged anchor (the owner's own, signed with another key) is refused.
	forger, _ := auditanchor.NewSigner(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	seq, hash, _ := db.AuditChainHead(ctx, pool)
	forged := filepath.Join(t.TempDir(), "forged.jsonl")
	if err := os.WriteFile(forged, []byte(forger.Sign(seq, hash, time.Now()).Line()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify", "-anchors", forged}, testEnv(url, map[string]string{"CONSOLE_AUDIT_ANCHOR_KEY": base64.StdEncoding.EncodeToString(seed)}), nil, &out, io.Discard)
	if !errors.Is(err, errChainBroken) || !strings.Contains(out.String(), "BAD ANCHOR") {
		t.Fatalf("forged anchor: %v (%s)", err, out.String())
	}
	// Without a key, anchors cannot be checked: refused, not skipped.
	if err := run(ctx, []string{"audit", "verify", "-anchors", file}, testEnv(url, nil), nil, &out, io.Discard); err == nil || errors.Is(err, errChainBroken) {
		t.Fatalf("no key: %v", err)
	}
}

// TestServeAnchorsTheChain: serve with an anchor key says so at startup,
// signs the head once at start (River's periodic job, on the leader) and
// appends it to the anchor file; audit verify -anchors accepts it. Without
// a key, serve says anchoring is off.
func TestServeAnchorsTheChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.NewURL(t)
	pool := dbtest.Open(t, url)
	if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test.before"}); err != nil {
		t.Fatal(err)
	}
	seed := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, ed25519.SeedSize))
	file := filepath.Join(t.TempDir(), "anchors.jsonl")
	getenv := testEnv(url, map[string]string{"CONSOLE_AUDIT_ANCHOR_KEY": seed, "CONSOLE_AUDIT_ANCHOR_FILE": file})
	_, done, stop, logs := startServe(t, getenv)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 { //nolint:gosec // the test's own file
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no anchor written; logs:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	<-done
	if !strings.Contains(logs.String(), "audit anchors on") || !strings.Contains(logs.String(), `msg="audit anchor"`) {
		t.Fatalf("logs lack the startup line or the anchor line:\n%s", logs.String())
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "-anchors", file}, getenv, nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "1 anchors from") {
		t.Fatalf("verify with the served anchor: %v (%s)", err, out.String())
	}

	_, done, stop, logs = startServe(t, testEnv(dbtest.NewURL(t), nil))
	stop()
	<-done
	if !strings.Contains(logs.String(), "audit anchors off") {
		t.Fatalf("no startup line saying anchoring is off:\n%s", logs.String())
	}
}
