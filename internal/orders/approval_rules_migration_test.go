package orders_test

import (
	"context"
	"io/fs"
	"log/slog"
	"strings"
	"testing"

	"github.com/jackc/tern/v2/migrate"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/migrations"
)

// Migration 026 keeps every existing policy working as a single rule with
// the same meaning: a database with old-style policies and orders in
// review, migrated, needs the same approvers and sends (or not) as before.
func TestMigrationKeepsOldPoliciesAsOneRule(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Open(t, dbtest.NewEmptyURL(t))
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := migrate.NewMigrator(ctx, conn.Conn(), "schema_version")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadMigrations(fs.FS(migrations.FS)); err != nil {
		t.Fatal(err)
	}
	if err := m.MigrateTo(ctx, 25); err != nil {
		t.Fatal(err)
	}
	conn.Release()
	// Today's code writes the orders below into the old schema: the
	// columns later migrations add to orders are there for it while it
	// does, and go again before those migrations run.
	later := []string{"approval_round integer NOT NULL DEFAULT 0", "approval_expired_at timestamptz", "approval_expired_version integer", "deliver_at timestamptz"}
	for _, c := range later {
		if _, err := pool.Exec(ctx, `ALTER TABLE orders ADD COLUMN `+c); err != nil {
			t.Fatal(err)
		}
	}

	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	byHand, special := orderstest.NewAccount(t, pool), orderstest.NewAccount(t, pool)
	// Old style: two approvers and sending by hand for CloudBase, one
	// approver and automatic sending on the special account.
	if _, err := pool.Exec(ctx, `INSERT INTO approval_policies (product, account_id, required_approvers, auto_send)
		VALUES ('tcb', NULL, 2, false), ('tcb', $1, 1, true)`, special); err != nil {
		t.Fatal(err)
	}
	inReview := func(account int64) orders.Order {
		o, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, account))
		if err != nil {
			t.Fatal(err)
		}
		return orderstest.Move(t, pool, svc, alice, o, orders.StatusPendingApproval)
	}
	a, b := inReview(byHand), inReview(special)
	for _, c := range later {
		if _, err := pool.Exec(ctx, `ALTER TABLE orders DROP COLUMN `+strings.Fields(c)[0]); err != nil {
			t.Fatal(err)
		}
	}

	if err := db.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	sends := newSendLog(t, pool)
	svc = orders.NewService(pool).WithHooks(orders.Hooks{Send: sends})

	for _, c := range []struct {
		account  int64
		required int
		autoSend bool
	}{{byHand, 2, false}, {special, 1, true}} {
		p, err := svc.PolicyFor(ctx, orders.ProductTCB, c.account)
		if err != nil {
			t.Fatal(err)
		}
		rules := p.AllRules()
		if len(rules) != 1 || !rules[0].Otherwise || rules[0].Required() != c.required || rules[0].AutoSend != c.autoSend ||
			len(rules[0].Stages) != 1 || rules[0].Stages[0].GroupID != 0 {
			t.Fatalf("account %d: rules %+v; want one rule of %d from anyone, auto-send %v", c.account, rules, c.required, c.autoSend)
		}
	}
	approve := func(o orders.Order) orders.Order {
		out, err := svc.Approve(ctx, orderstest.NewUser(t, pool, "approver"), o.ID, o.Version, o.ParamsSHA256, "", orders.ApproveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// The orders in review were pinned by the migration to that rule.
	if st, _ := svc.ApprovalState(ctx, alice, a.ID); st.Rule == nil || !st.Rule.Otherwise || st.Rule.Required() != 2 {
		t.Fatalf("order in review on the by-hand account: rule %+v", st.Rule)
	}
	if got := approve(a); got.Status != orders.StatusPendingApproval {
		t.Fatalf("one approval of two: %s", got.Status)
	}
	if got := approve(a); got.Status != orders.StatusApproved || len(sends.sends(t, a.ID)) != 0 {
		t.Fatalf("two approvals under a by-hand policy: %s, %d sends queued", got.Status, len(sends.sends(t, a.ID)))
	}
	if got := approve(b); got.Status != orders.StatusApproved || len(sends.sends(t, b.ID)) != 1 {
		t.Fatalf("one approval under an auto-send policy: %s, %d sends queued", got.Status, len(sends.sends(t, b.ID)))
	}
}
