package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

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
