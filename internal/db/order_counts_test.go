package db_test

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
)

// scanCounts is the truth the kept counts must equal: count(*) over orders.
func scanCounts(t *testing.T, pool db.Pool, where string, args ...any) map[string]int64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT status, count(*) FROM orders `+where+` GROUP BY status`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

// Every way an order's status or existence changes reaches the kept
// counts, before and after the deltas are folded, for every filter the
// kept counts serve.
func TestOrderCountsFollowEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	requester, other, o := approvalFixture(t, pool)
	more := []db.OrderRow{o}
	for i := range 6 {
		params := []byte(fmt.Sprintf(`{"n":%d}`, i))
		by := requester
		if i%2 == 1 {
			by = other
		}
		n, err := db.InsertOrder(ctx, pool, db.NewOrder{Product: "tcb", AccountID: o.AccountID, Title: "t", Justification: "j",
			Params: params, ParamsSHA256: sha(params), RequesterID: by, PurchaseKey: db.PurchaseKey{Fingerprint: sha(params)}})
		if err != nil {
			t.Fatal(err)
		}
		more = append(more, n)
	}
	check := func(when string) {
		t.Helper()
		for _, c := range []struct {
			f     db.OrderFilter
			where string
			args  []any
		}{
			{db.OrderFilter{}, "", nil},
			{db.OrderFilter{Product: "tcb"}, "WHERE product = $1", []any{"tcb"}},
			{db.OrderFilter{Product: "waf"}, "WHERE product = $1", []any{"waf"}},
			{db.OrderFilter{RequesterID: other}, "WHERE requester_id = $1", []any{other}},
			{db.OrderFilter{AccountID: o.AccountID, RequesterID: requester, Status: "draft"},
				"WHERE account_id = $1 AND requester_id = $2", []any{o.AccountID, requester}},
		} {
			got, err := db.CountOrdersByStatus(ctx, pool, c.f, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if want := scanCounts(t, pool, c.where, c.args...); !maps.Equal(got.ByStatus, want) || got.Capped {
				t.Errorf("%s, filter %+v: counts %v (capped %v), want %v", when, c.f, got.ByStatus, got.Capped, want)
			}
		}
	}
	check("after inserts")
	for _, step := range []struct {
		order    db.OrderRow
		from, to string
	}{{more[0], "draft", "pending_approval"}, {more[1], "draft", "pending_approval"}, {more[1], "pending_approval", "approved"},
		{more[2], "draft", "cancelled"}} {
		if _, err := db.TransitionOrder(ctx, pool, step.order.ID, step.from, step.to); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteDraftOrder(ctx, pool, more[3].ID); err != nil {
		t.Fatal(err)
	}
	// An update that leaves the status alone adds no delta.
	if _, err := pool.Exec(ctx, `UPDATE orders SET updated_at = now() WHERE id = $1`, more[4].ID); err != nil {
		t.Fatal(err)
	}
	check("before folding")
	if _, err := db.FoldOrderCounts(ctx, pool); err != nil {
		t.Fatal(err)
	}
	var deltas, groups int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM order_count_deltas), (SELECT count(*) FROM order_counts)`).Scan(&deltas, &groups); err != nil {
		t.Fatal(err)
	}
	if deltas != 0 || groups != 5 { // (requester: draft, pending, approved, cancelled) + (other: draft)
		t.Errorf("after folding: %d deltas, %d groups; want 0 and 5", deltas, groups)
	}
	check("after folding")
	// Folding twice changes nothing; new changes land on top.
	if _, err := db.TransitionOrder(ctx, pool, more[5].ID, "draft", "pending_approval"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FoldOrderCounts(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FoldOrderCounts(ctx, pool); err != nil {
		t.Fatal(err)
	}
	check("after folding again")
}

// Filters the kept counts cannot serve count at most the limit's orders and
// say when they stopped there.
func TestOrderCountsCappedForOtherFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	requester, _, o := approvalFixture(t, pool)
	for i := range 4 {
		params := []byte(fmt.Sprintf(`{"n":%d}`, i))
		if _, err := db.InsertOrder(ctx, pool, db.NewOrder{Product: "tcb", AccountID: o.AccountID, Title: "needle " + fmt.Sprint(i),
			Justification: "j", Params: params, ParamsSHA256: sha(params), RequesterID: requester,
			PurchaseKey: db.PurchaseKey{Fingerprint: sha(params)}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.CountOrdersByStatus(ctx, pool, db.OrderFilter{Search: "needle"}, 10)
	if err != nil || got.Capped || got.ByStatus["draft"] != 4 {
		t.Fatalf("under the limit: %+v %v, want 4 drafts, exact", got, err)
	}
	got, err = db.CountOrdersByStatus(ctx, pool, db.OrderFilter{Search: "needle"}, 3)
	if err != nil || !got.Capped {
		t.Fatalf("over the limit: %+v %v, want capped", got, err)
	}
}

// The approvals badge counts up to its limit and no further.
func TestWaitingCountStopsAtItsLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	requester, approver, o := approvalFixture(t, pool)
	for i := range 3 {
		params := []byte(fmt.Sprintf(`{"w":%d}`, i))
		n, err := db.InsertOrder(ctx, pool, db.NewOrder{Product: "tcb", AccountID: o.AccountID, Title: "t", Justification: "j",
			Params: params, ParamsSHA256: sha(params), RequesterID: requester, PurchaseKey: db.PurchaseKey{Fingerprint: sha(params)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TransitionOrder(ctx, pool, n.ID, "draft", "pending_approval"); err != nil {
			t.Fatal(err)
		}
	}
	for limit, want := range map[int]int{2: 2, 3: 3, 100: 3} {
		if n, err := db.CountWaitingForApprover(ctx, pool, approver, false, limit); err != nil || n != want {
			t.Errorf("limit %d: %d %v, want %d", limit, n, err, want)
		}
	}
}
