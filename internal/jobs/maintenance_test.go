package jobs

import (
	"context"
	"testing"
	"time"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// One round of upkeep folds the count deltas and deletes what has expired,
// and nothing that is still live.
func TestMaintainKeepsTablesSmall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	for _, stmt := range []string{
		`INSERT INTO users (username, display_name, password_hash, roles) VALUES ('u', 'U', '$argon2id$x', '{requester}')`,
		`INSERT INTO sessions (id, user_id, expires_at, last_seen_at) SELECT sha256('live'), id, now() + interval '1 day', now() FROM users`,
		`INSERT INTO sessions (id, user_id, expires_at, last_seen_at) SELECT sha256('expired'), id, now() - interval '1 second', now() FROM users`,
		`INSERT INTO sessions (id, user_id, expires_at, last_seen_at) SELECT sha256('idle'), id, now() + interval '1 day', now() - interval '9 hours' FROM users`,
		`INSERT INTO rate_limit_slots (key, next_at) VALUES ('busy', now() + interval '50 milliseconds'), ('old', now() - interval '2 hours')`,
		`INSERT INTO login_throttle (key, failures, window_start) VALUES ('user:new', 1, now()), ('user:old', 3, now() - interval '1 hour')`,
		`INSERT INTO order_count_deltas (product, account_id, requester_id, status, delta) VALUES ('tcb', 1, 1, 'draft', 2), ('tcb', 1, 1, 'draft', -1)`,
	} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Maintain(ctx, pool, nil, MaintenanceConfig{SessionIdle: 8 * time.Hour, LoginWindow: 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if s.Sessions != 2 || s.RateSlots != 1 {
		t.Errorf("swept %+v, want 2 sessions and 1 slot", s)
	}
	var left bool
	if err := pool.QueryRow(ctx, `SELECT
		(SELECT string_agg(encode(id, 'hex'), ',') FROM sessions) = encode(sha256('live'), 'hex') AND
		(SELECT string_agg(key, ',') FROM rate_limit_slots) = 'busy' AND
		(SELECT string_agg(key, ',') FROM login_throttle) = 'user:new' AND
		(SELECT count(*) FROM order_count_deltas) = 0 AND
		(SELECT n FROM order_counts WHERE status = 'draft') = 1`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if !left {
		t.Fatal("what is left is not the live rows and the folded count")
	}
	if n, err := db.CountOrdersInStatus(ctx, pool, "draft"); err != nil || n != 1 {
		t.Fatalf("drafts counted %d %v, want 1", n, err)
	}
}
