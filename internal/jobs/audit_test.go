package jobs

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/auditanchor"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func addUser(t *testing.T, pool *pgxpool.Pool, name string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `INSERT INTO users (username, display_name, password_hash, roles)
		VALUES ($1, $1, '$argon2id$x', '{admin}') RETURNING id`, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func auditActions(t *testing.T, pool *pgxpool.Pool, subject string) string {
	t.Helper()
	evs, err := db.AuditEventsFor(context.Background(), pool, subject)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range evs {
		names = append(names, e.Action)
	}
	return strings.Join(names, " ")
}

// TestAuditVerificationRunsAsAJob: asking queues one job (a second ask
// while it waits gets the same check), the running queue works it, and the
// row ends intact with the head, each state change with its audit event.
func TestAuditVerificationRunsAsAJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	admin := addUser(t, pool, "root")
	for range 12 {
		if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test.entry"}); err != nil {
			t.Fatal(err)
		}
	}
	q, err := New(pool, Config{AuditVerifyPageSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	id, started, err := q.StartAuditVerification(ctx, AuditActor{UserID: admin, RemoteAddr: "192.0.2.1", RequestID: "req-1"})
	if err != nil || !started {
		t.Fatalf("start: %d %v %v", id, started, err)
	}
	again, started2, err := q.StartAuditVerification(ctx, AuditActor{UserID: admin})
	if err != nil || started2 || again != id {
		t.Fatalf("second start while queued: %d %v %v, want %d not started", again, started2, err, id)
	}
	v, err := db.GetAuditVerification(ctx, pool, id)
	if err != nil || v.Status != db.VerificationQueued || v.StartedByUsername != "root" {
		t.Fatalf("queued: %+v %v", v, err)
	}

	events, unsubscribe := q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer unsubscribe()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(stopCtx)
	})
	ev := next(t, events)
	if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != (AuditVerifyArgs{}).Kind() {
		t.Fatalf("event %s for %s", ev.Kind, ev.Job.Kind)
	}
	v, err = db.GetAuditVerification(ctx, pool, id)
	if err != nil {
		t.Fatal(err)
	}
	// 12 entries, the request and the start: the check covers its own start.
	if v.Status != db.VerificationIntact || v.Checked != 14 || v.HeadSeq == nil || *v.HeadSeq != 14 || v.FinishedAt == nil {
		t.Fatalf("finished: %+v", v)
	}
	if got := auditActions(t, pool, verificationSubject(id)); got != "audit.verification_requested audit.verification_started audit.verification_finished" {
		t.Fatalf("audit events: %q", got)
	}
	// Finished, a check can be asked for again.
	if _, started, err := q.StartAuditVerification(ctx, AuditActor{UserID: admin}); err != nil || !started {
		t.Fatalf("after it finished: %v %v", started, err)
	}
}

// TestAuditVerificationRecordsABreak runs the work directly on
// a chain altered in place and records the break.
func TestAuditVerificationRecordsABreak(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	admin := addUser(t, pool, "root")
	for range 5 {
		if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test.entry"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
		UPDATE audit_events SET subject = 'order:666' WHERE chain_seq = 3;
		ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`); err != nil {
		t.Fatal(err)
	}
	q, err := New(pool, Config{})
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := q.StartAuditVerification(ctx, AuditActor{UserID: admin})
	if err != nil {
		t.Fatal(err)
	}
	if err := RunAuditVerification(ctx, pool, id, VerifyRun{PageSize: 2}); err != nil {
		t.Fatal(err)
	}
	v, err := db.GetAuditVerification(ctx, pool, id)
	if err != nil || v.Status != db.VerificationBroken || v.Broken == nil || v.Broken.ChainSeq != 3 || v.Checked != 2 {
		t.Fatalf("%+v %v", v, err)
	}
	// A job run again after it finished changes nothing.
	if err := RunAuditVerification(ctx, pool, id, VerifyRun{}); !errors.Is(err, errVerificationDone) {
		t.Fatalf("a second run: %v", err)
	}
}

// TestAnchorGoesToTheLogAndTheFile: the signed head appears as a
// structured log line and as a line of the anchor file, and verifies.
func TestAnchorGoesToTheLogAndTheFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	signer, err := auditanchor.NewSigner(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logBuf, nil))
	file := filepath.Join(t.TempDir(), "anchors.jsonl")
	cfg := AnchorConfig{Signer: signer, File: file}
	if a, err := Anchor(ctx, pool, log, cfg, time.Now()); err != nil || a.Hash != "" {
		t.Fatalf("empty log: %+v %v", a, err)
	}
	for range 3 {
		if _, err := db.AppendAudit(ctx, pool, db.AuditEvent{Actor: "system", Action: "test.entry"}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := Anchor(ctx, pool, log, cfg, time.Now())
	if err != nil || a.ChainSeq != 3 {
		t.Fatalf("anchor %+v %v", a, err)
	}
	for name, src := range map[string]string{"log": logBuf.String(), "file": readFile(t, file)} {
		got, err := auditanchor.Parse(strings.NewReader(src))
		if err != nil || len(got) != 1 || got[0].Hash != a.Hash {
			t.Fatalf("%s: %+v %v", name, got, err)
		}
		if err := auditanchor.Verify(signer.Public(), got[0].Anchor); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("anchor file mode: %v %v", fi.Mode(), err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path) //nolint:gosec // a test's own temporary file
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
