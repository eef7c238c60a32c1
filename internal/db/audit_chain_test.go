package db_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

func appendN(t *testing.T, q db.DBTX, n int, prefix string) {
	t.Helper()
	for i := range n {
		if _, err := db.AppendAudit(context.Background(), q, db.AuditEvent{Actor: "system", Action: prefix,
			Subject: fmt.Sprintf("s:%d", i), Details: map[string]any{"i": i, "note": "naïve <b>&</b>"}}); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, q db.DBTX, page int) db.ChainReport {
	t.Helper()
	rep, err := db.VerifyAuditChain(context.Background(), q, page)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestAuditChainHoldsUnderConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range 10 {
				// Each in a transaction of its own; every fourth rolls back
				// and must leave no trace in the chain.
				err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
					if _, err := db.AppendAudit(ctx, tx, db.AuditEvent{Actor: "system", Action: "test.write",
						Subject: fmt.Sprintf("w%d", w), Details: map[string]any{"i": i}}); err != nil {
						return err
					}
					if i%4 == 3 {
						return fmt.Errorf("roll back")
					}
					return nil
				})
				if err != nil && err.Error() != "roll back" {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	rep := verify(t, pool, 7) // a small page crosses many page edges
	if rep.Broken != nil || rep.Checked != 16*(10-2) {
		t.Fatalf("report %+v, want %d entries and no break", rep, 16*8)
	}
}

func TestAuditVerifyFindsTheFirstBrokenLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name    string
		tamper  string // run as the table owner with the append-only trigger off
		seq     int64
		keyword string
	}{
		{"altered details", `UPDATE audit_events SET details = '{"i": 99}' WHERE chain_seq = 5`, 5, "altered"},
		{"altered actor", `UPDATE audit_events SET actor = 'mallory' WHERE chain_seq = 3`, 3, "altered"},
		{"altered time", `UPDATE audit_events SET occurred_at = occurred_at - interval '1 day' WHERE chain_seq = 8`, 8, "altered"},
		{"removed entry", `DELETE FROM audit_events WHERE chain_seq = 6`, 6, "missing"},
		// A careful tamperer recomputes the altered entry's own hash; the
		// next entry still names the old one.
		{"rehashed entry", `UPDATE audit_events SET action = 'forged' WHERE chain_seq = 4; ` +
			`UPDATE audit_events SET hash = audit_event_hash(prev_hash, chain_seq, audit_events.*) WHERE chain_seq = 4`, 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool := dbtest.New(t)
			appendN(t, pool, 10, "test.entry")
			if rep := verify(t, pool, 3); rep.Broken != nil || rep.Checked != 10 {
				t.Fatalf("before tampering: %+v", rep)
			}
			_, err := pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only; `+tt.tamper+
				`; ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`)
			if err != nil {
				t.Fatal(err)
			}
			rep := verify(t, pool, 3)
			if rep.Broken == nil {
				t.Fatal("tampering not detected")
			}
			want := tt.seq
			if tt.keyword == "" {
				// The rehashed entry itself checks out; its successor does not.
				want, tt.keyword = tt.seq+1, "before it"
			}
			if rep.Broken.ChainSeq != want || !strings.Contains(rep.Broken.Reason, tt.keyword) || rep.Checked != want-1 {
				t.Fatalf("break %+v after %d checked, want entry %d (%s)", rep.Broken, rep.Checked, want, tt.keyword)
			}
		})
	}
}

func TestGoAndSQLAgreeOnTheHash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	appendN(t, pool, 3, "test.agree")
	var mismatches int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events
		WHERE hash <> audit_event_hash(prev_hash, chain_seq, audit_events.*)`).Scan(&mismatches)
	if err != nil || mismatches != 0 {
		t.Fatalf("SQL recomputation: %d mismatches, %v", mismatches, err)
	}
	if rep := verify(t, pool, 100); rep.Broken != nil || rep.Checked != 3 {
		t.Fatalf("Go recomputation: %+v", rep)
	}
}

// TestCheckpointsCatchARebuiltChain: the table's owner changes entry 4 and
// rehashes everything after it. Every link holds, so a plain check passes;
// a checkpoint (an anchor) taken at entry 6 before the change does not.
func TestCheckpointsCatchARebuiltChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	appendN(t, pool, 8, "test.entry")
	seq, hash, err := db.AuditChainHead(ctx, pool)
	if err != nil || seq != 8 {
		t.Fatalf("head %d, %v", seq, err)
	}
	mid := verifyUpTo(t, pool, 6)
	appendN(t, pool, 2, "test.later")
	anchors := []db.Checkpoint{{ChainSeq: 6, Hash: mid, Name: "anchor A"}, {ChainSeq: 8, Hash: hash, Name: "anchor B"}}
	if rep, err := db.VerifyAuditChainWith(ctx, pool, db.VerifyOptions{PageSize: 3, Checkpoints: anchors}); err != nil || rep.Broken != nil || rep.Checked != 10 {
		t.Fatalf("before tampering: %+v, %v", rep, err)
	}

	dbtest.RebuildAuditChain(t, pool, 4, "mallory")

	if rep := verify(t, pool, 3); rep.Broken != nil || rep.Checked != 10 {
		t.Fatalf("without anchors the rebuilt chain should still look intact (that is the gap anchors close): %+v", rep)
	}
	rep, err := db.VerifyAuditChainWith(ctx, pool, db.VerifyOptions{PageSize: 3, Checkpoints: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Broken == nil || rep.Broken.ChainSeq != 6 || !strings.Contains(rep.Broken.Reason, "anchor A") || rep.Checked != 5 {
		t.Fatalf("with anchors: %+v, want a break at entry 6 naming anchor A", rep)
	}
}

// TestCheckpointPastTheEndIsABreak: an anchor for entry 12 of a chain that
// now ends at 10 means its tail was cut off.
func TestCheckpointPastTheEndIsABreak(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	appendN(t, pool, 10, "test.entry")
	rep, err := db.VerifyAuditChainWith(context.Background(), pool, db.VerifyOptions{
		Checkpoints: []db.Checkpoint{{ChainSeq: 12, Hash: "x", Name: "anchor Z"}},
	})
	if err != nil || rep.Broken == nil || rep.Broken.ChainSeq != 12 || !strings.Contains(rep.Broken.Reason, "anchor Z") || rep.Checked != 10 {
		t.Fatalf("%+v, %v", rep, err)
	}
}

// TestVerifyReportsProgressPageByPage: the background check's progress.
func TestVerifyReportsProgressPageByPage(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	appendN(t, pool, 7, "test.entry")
	var seen []int64
	rep, err := db.VerifyAuditChainWith(context.Background(), pool, db.VerifyOptions{PageSize: 3,
		Progress: func(r db.ChainReport) error { seen = append(seen, r.Checked); return nil }})
	if err != nil || rep.Checked != 7 || fmt.Sprint(seen) != "[3 6 7]" {
		t.Fatalf("progress %v, report %+v, %v", seen, rep, err)
	}
}

// verifyUpTo returns the hash of entry seq as the verifier computed it.
func verifyUpTo(t *testing.T, q db.DBTX, seq int64) string {
	t.Helper()
	var got string
	_, err := db.VerifyAuditChainWith(context.Background(), q, db.VerifyOptions{PageSize: 1, Progress: func(r db.ChainReport) error {
		if r.HeadSeq == seq {
			got = r.Head
		}
		return nil
	}})
	if err != nil || got == "" {
		t.Fatalf("hash of entry %d: %v", seq, err)
	}
	return got
}
