package dbtest

import (
	"context"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// RebuildAuditChain tampers with the audit log as its owner could: it sets
// the actor of the entry at seq to actor and rehashes that entry and every
// one after it, so each link holds again. Only an anchor written down
// before the change can tell.
func RebuildAuditChain(t testing.TB, pool *pgxpool.Pool, seq int64, actor string) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `
ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
UPDATE audit_events SET actor = '`+actor+`' WHERE chain_seq = `+strconv.FormatInt(seq, 10)+`;
DO $$
DECLARE
    r audit_events;
    prev text;
BEGIN
    SELECT coalesce((SELECT hash FROM audit_events WHERE chain_seq = `+strconv.FormatInt(seq-1, 10)+`), repeat('0', 64)) INTO prev;
    FOR r IN SELECT * FROM audit_events WHERE chain_seq >= `+strconv.FormatInt(seq, 10)+` ORDER BY chain_seq LOOP
        UPDATE audit_events SET prev_hash = prev, hash = audit_event_hash(prev, r.chain_seq, r)
        WHERE id = r.id RETURNING hash INTO prev;
    END LOOP;
END;
$$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;`)
	if err != nil {
		t.Fatalf("dbtest: rebuild the audit chain from %d: %v", seq, err)
	}
}
