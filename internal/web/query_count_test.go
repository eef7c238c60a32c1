package web

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
)

// queryLog is a pgx tracer that keeps the first line of every statement
// the pool runs.
type queryLog struct {
	mu  sync.Mutex
	sql []string
}

func (l *queryLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	defer l.mu.Unlock()
	line, _, _ := strings.Cut(strings.TrimSpace(d.SQL), "\n")
	l.sql = append(l.sql, line)
	return ctx
}

func (l *queryLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements since the last take, without transaction
// control (begin, commit, rollback, set transaction), which costs a round
// trip but reads nothing.
func (l *queryLog) take() (queries []string) {
	queries, _ = l.takeAll()
	return queries
}

// takeAll is take, and the transaction settings sent as statements of their
// own (each a round trip the page waits for under load).
func (l *queryLog) takeAll() (queries, settings []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, q := range l.sql {
		switch lq := strings.ToLower(q); {
		case strings.HasPrefix(lq, "set transaction"), strings.HasPrefix(lq, "set local"):
			settings = append(settings, q)
		case lq == "begin", lq == "commit", lq == "rollback", strings.HasPrefix(lq, "begin "):
		default:
			queries = append(queries, q)
		}
	}
	l.sql = nil
	return queries, settings
}

// Each page loads what it shows in a handful of queries, however many
// orders there are: the numbers below are the most each page may issue
// (the session lookup included). A page that starts reading per row, or
// the same thing twice, fails here.
func TestPagesIssueFewQueries(t *testing.T) {
	t.Parallel()
	base := dbtest.New(t)
	log := &queryLog{}
	cfg := base.Config().Copy()
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	env := newEnvOn(t, pool)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	env.sendsByHand(orders.ProductTCB)
	var sent orders.Order
	for range 3 {
		sent = env.sendable(aliceUser, orders.ProductTCB)
		env.approve(bob, sent)
		sent = env.send(sent)
	}
	pending := env.sendable(aliceUser, orders.ProductTCB)
	if sent.Status != orders.StatusSucceeded {
		t.Fatalf("order %d is %s, want succeeded", sent.ID, sent.Status)
	}
	for _, c := range []struct {
		who  string
		c    *client
		path string
		max  int
	}{
		// Approvers and admins, who settle unknown orders, see their count
		// in the navigation (issue 14): one more query on each of their
		// pages, one row of the kept counts (CountOrdersInStatus).
		{"requester", alice, "/", 4},
		{"approver", bob, "/", 5},
		// The list's estimates (issue 16) are one more query for the page's rows.
		// The over-budget flag (issue 16, part 4) reads the budgets of the
		// listed open orders' accounts: one more when any is open.
		{"requester", alice, "/orders", 7},
		{"admin", admin, "/orders", 7},
		{"admin", admin, "/orders?product=tcb&status=succeeded", 6},
		{"admin", admin, "/orders?q=nothing&from=2020-01-01", 6},
		// The order's budget (issue 16, part 4) is one statement, and a
		// succeeded order's bill (part 3) one more.
		{"requester", alice, orderPath(sent.ID), 9},
		{"approver", bob, orderPath(pending.ID), 10},
		// The approval page adds the estimate and the funds check (issue 16):
		// the estimate, the account and what is committed; and the budget.
		{"approver", bob, orderPath(pending.ID) + "/approval", 12},
	} {
		log.take()
		c.c.page(c.path)
		got, settings := log.takeAll()
		t.Logf("%s %s: %d queries", c.who, c.path, len(got))
		// A read snapshot's isolation and plan settings travel with its
		// BEGIN (db.ReadSnapshot), not as round trips of their own.
		if len(settings) > 0 {
			t.Errorf("%s %s: transaction settings sent on their own: %s", c.who, c.path, strings.Join(settings, "; "))
		}
		// The session costs one statement: the lookup by its key, which
		// also touches it.
		if n := countPrefix(got, "-- name: LoadActiveSession "); n != 1 || countPrefix(got, "-- name: ") != len(got) ||
			countPrefix(got, "-- name: GetOrder ") > 1 {
			t.Errorf("%s %s: want one session lookup and the order read at most once, got:\n  %s", c.who, c.path, strings.Join(got, "\n  "))
		}
		if len(got) > c.max {
			t.Errorf("%s %s: %d queries, want at most %d:\n  %s", c.who, c.path, len(got), c.max, strings.Join(got, "\n  "))
		}
	}
}

func orderPath(id int64) string { return "/orders/" + itoa(id) }

func countPrefix(lines []string, prefix string) (n int) {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}
