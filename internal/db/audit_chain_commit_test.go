package db_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// The head of the chain is taken at commit (migration 016): a transaction
// that wrote an audit entry and is still working holds no lock that another
// writer waits for. Before, the second writer waited until the first ended.
func TestAuditWriterDoesNotWaitForAnOpenTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	slow, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback(ctx) //nolint:errcheck // committed below
	if _, err := db.AppendAudit(ctx, slow, db.AuditEvent{Actor: "system", Action: "test.slow", Subject: "a"}); err != nil {
		t.Fatal(err)
	}
	// The bound only keeps a regression from hanging the suite: the write
	// either goes through or waits for slow, which never ends meanwhile.
	fast, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := db.InTx(fast, pool, func(tx pgx.Tx) error {
		_, err := db.AppendAudit(fast, tx, db.AuditEvent{Actor: "system", Action: "test.fast", Subject: "b"})
		return err
	}); err != nil {
		t.Fatalf("a second writer waited for the open transaction: %v", err)
	}
	if err := slow.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	rep := verify(t, pool, 10)
	if rep.Broken != nil || rep.Checked != 2 {
		t.Fatalf("report %+v, want 2 entries and no break", rep)
	}
	// Places are given in commit order: the fast writer committed first.
	var first string
	if err := pool.QueryRow(ctx, `SELECT action FROM audit_events WHERE chain_seq = 1`).Scan(&first); err != nil || first != "test.fast" {
		t.Fatalf("first place: %q %v, want test.fast", first, err)
	}
}

// A transaction's own entries get consecutive places in the order written,
// and nothing committed keeps a placeholder.
func TestAuditEntriesOfOneTransactionChainInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		appendN(t, tx, 5, "test.batch")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	appendN(t, pool, 2, "test.single")
	rows, err := pool.Query(ctx, `SELECT chain_seq, subject, action FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var seq int64
		var subject, action string
		err := r.Scan(&seq, &subject, &action)
		return strconv.FormatInt(seq, 10) + " " + subject + " " + action, err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 s:0 test.batch", "2 s:1 test.batch", "3 s:2 test.batch", "4 s:3 test.batch", "5 s:4 test.batch",
		"6 s:0 test.single", "7 s:1 test.single"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("chain = %q, want %q", got, want)
	}
	if rep := verify(t, pool, 3); rep.Broken != nil || rep.Checked != 7 {
		t.Fatalf("report %+v", rep)
	}
}

// The one update the log allows is the chaining trigger's; a statement may
// not place (or otherwise change) even its own transaction's uncommitted entry.
func TestAuditPlaceholderCannotBeChangedByAStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	for _, stmt := range []string{
		`UPDATE audit_events SET chain_seq = 1, prev_hash = repeat('0', 64), hash = repeat('1', 64)`,
		`UPDATE audit_events SET action = 'forged'`,
	} {
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: "x", Subject: "s"}); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, stmt)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refusal", stmt, err)
		}
	}
	if rep := verify(t, pool, 10); rep.Broken != nil || rep.Checked != 0 {
		t.Fatalf("report %+v, want an empty chain", rep)
	}
}

// Migration 027 hashes in the trigger without audit_event_hash: the bytes
// must stay the ones audit_event_hash and the Go verifier read, whatever the
// fields hold (text of several bytes a character, empty fields, quotes and
// newlines in the details).
func TestAuditChainAtCommitHashesWhatTheVerifierReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	events := []db.AuditEvent{
		{Actor: "system", Action: "test.plain", Subject: "order:1"},
		{Actor: "42", Action: "test.wide", Subject: "订单:2", RemoteAddr: "::1", RequestID: "req-é",
			Details: map[string]any{"note": "审批 \"quoted\"\nline", "fen": 12345}},
		{Actor: "anonymous", Action: "test.empty"},
	}
	for _, e := range events {
		if err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			_, err := db.AppendAudit(ctx, tx, e)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var differ int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events e
		WHERE e.hash <> audit_event_hash(e.prev_hash, e.chain_seq, e)`).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Fatalf("%d entries hashed otherwise than audit_event_hash", differ)
	}
	if rep := verify(t, pool, 10); rep.Broken != nil || rep.Checked != int64(len(events)) {
		t.Fatalf("report %+v, want %d entries and no break", rep, len(events))
	}
}
