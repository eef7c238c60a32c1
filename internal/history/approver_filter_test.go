package history_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/history"
)

// The approver filter has queries of its own (db/queries/history_approver.sql,
// issue 21): in every sort, with other filters and across pages, it lists
// exactly the orders the person decided on, and counts them by status.
func TestApproverFilterListsAndCountsWhatTheyDecided(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	loadOrders(t, pool, 90)
	// A second approver decided on a few of the orders the first did not.
	if _, err := pool.Exec(ctx, `
		INSERT INTO users (username, display_name, password_hash, roles) VALUES ('other-approver', 'Other', '$argon2id$x', '{approver}');
		INSERT INTO approvals (order_id, version, params_sha256, approver_id, decision, decided_at, comment)
		SELECT id, version, params_sha256, (SELECT id FROM users WHERE username = 'other-approver'), 'approve', now(), ''
		FROM orders WHERE status = 'pending_approval' AND id % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	svc := history.NewService(pool)
	for _, who := range []string{"bench-approver", "other-approver"} {
		var want []int64
		wantCounts := map[string]int64{}
		rows, err := pool.Query(ctx, `SELECT o.id, o.status FROM orders o WHERE EXISTS (SELECT 1 FROM approvals ap JOIN users u ON u.id = ap.approver_id
			WHERE ap.order_id = o.id AND u.username = $1) ORDER BY o.id DESC`, who)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var st string
			if err := rows.Scan(&id, &st); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
			wantCounts[st]++
		}
		rows.Close()
		if len(want) == 0 {
			t.Fatalf("%s decided on nothing: the fixture is wrong", who)
		}
		for _, sort := range []db.OrderSort{db.SortNewest, db.SortOldest, db.SortUpdated} {
			var got []int64
			q := history.OrderQuery{Approver: who, OrderFilter: db.OrderFilter{Sort: sort}}
			for {
				page, err := svc.Orders(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Orders {
					got = append(got, o.ID)
				}
				if len(got) == len(page.Orders) && !maps.Equal(page.Counts, wantCounts) {
					t.Errorf("%s %s: counts %v, want %v", who, sort, page.Counts, wantCounts)
				}
				if page.Next == nil {
					break
				}
				q.After = *page.Next
			}
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			slices.Reverse(sorted)
			if !slices.Equal(sorted, want) {
				t.Errorf("%s %s: listed %v, want %v", who, sort, got, want)
			}
		}
		// With another filter: only the decided orders in that status.
		page, err := svc.Orders(ctx, history.OrderQuery{Approver: who, OrderFilter: db.OrderFilter{Status: "rejected"}})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(page.Orders)) != wantCounts["rejected"] {
			t.Errorf("%s rejected: %d listed, want %d", who, len(page.Orders), wantCounts["rejected"])
		}
	}
}
