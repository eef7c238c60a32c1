package db_test

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func TestAuditAppendAndList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	for _, action := range []string{"user.created", "user.roles_changed"} {
		if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: action, Subject: "user:1",
			Details: map[string]any{"roles": []string{"admin"}}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.AuditEventsFor(ctx, pool, "user:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Action != "user.created" || got[1].Action != "user.roles_changed" || got[0].ID >= got[1].ID {
		t.Fatalf("events = %+v", got)
	}
	if got[0].OccurredAt.IsZero() || got[0].Details["roles"] == nil {
		t.Fatalf("event fields not round-tripped: %+v", got[0])
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "x", Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"UPDATE audit_events SET action = 'forged'",
		"DELETE FROM audit_events",
		"TRUNCATE audit_events",
	} {
		_, err := pool.Exec(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refusal", stmt, err)
		}
	}
	got, _ := db.AuditEventsFor(ctx, pool, "s")
	if len(got) != 1 || got[0].Action != "x" {
		t.Fatalf("audit log changed: %+v", got)
	}
}

func TestAuditEmptyActionRefused(t *testing.T) {
	t.Parallel()
	if _, err := db.AppendAudit(context.Background(), dbtest.New(t), db.AuditEvent{Actor: "system"}); err == nil {
		t.Fatal("an event without an action must be refused")
	}
}
