package orders_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

func kindOf(err error) fault.Kind { return fault.KindOf(err) }

func TestComposeEachProduct(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)
	for _, p := range orders.Products {
		o, err := svc.Compose(ctx, alice, orderstest.Draft(p, acct))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if o.Status != orders.StatusDraft || o.Version != 1 || o.RequesterID != alice.UserID {
			t.Errorf("%s: %+v", p, o)
		}
		canon, _ := orders.Canonical(o.Params)
		if string(canon) != string(o.Params) || o.ParamsSHA256 != orders.Hash(o.Params) {
			t.Errorf("%s: stored params are not canonical or hash does not match", p)
		}
		// Stored bytes come back exactly (json, not jsonb).
		got, _ := svc.Get(ctx, o.ID)
		if string(got.Params) != string(o.Params) {
			t.Errorf("%s: params changed in storage:\n%s\n%s", p, o.Params, got.Params)
		}
		events, _ := db.AuditEventsFor(ctx, pool, o.Subject())
		if len(events) != 1 || events[0].Action != "order.created" || events[0].Details["params_sha256"] != o.ParamsSHA256 {
			t.Errorf("%s: audit = %+v", p, events)
		}
	}
}

func TestBillingClientTokenIsTheConsoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	d := orderstest.Draft(orders.ProductBilling, orderstest.NewAccount(t, pool))
	d.Params = []byte(strings.Replace(orderstest.BillingParams, `{`, `{"ClientToken":"typed-by-a-person",`, 1))
	o, err := svc.Compose(ctx, alice, d)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.Unmarshal(o.Params, &body)
	if o.ClientToken == "" || body["ClientToken"] != o.ClientToken || o.ClientToken == "typed-by-a-person" {
		t.Fatalf("token %q, body token %v", o.ClientToken, body["ClientToken"])
	}
	// Editing keeps the token: it identifies this purchase.
	d.Title = "New title"
	o2, err := svc.Update(ctx, alice, o.ID, o.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if o2.ClientToken != o.ClientToken || !strings.Contains(string(o2.Params), o.ClientToken) {
		t.Fatalf("token changed on edit: %q → %q", o.ClientToken, o2.ClientToken)
	}
	// A clone is a new purchase with a new token.
	c, err := svc.Clone(ctx, alice, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientToken == o.ClientToken || c.ClonedFromID != o.ID {
		t.Fatalf("clone token %q (original %q), cloned from %d", c.ClientToken, o.ClientToken, c.ClonedFromID)
	}
}

func TestComposeRefusesBadInputAndSavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)
	disabled := orderstest.NewAccount(t, pool)
	if _, err := pool.Exec(ctx, "UPDATE tencentcloud_accounts SET disabled = true WHERE id = $1", disabled); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		edit  func(*orders.Draft)
		field string
	}{
		{"no title", func(d *orders.Draft) { d.Title = "  " }, "title"},
		{"long title", func(d *orders.Draft) { d.Title = strings.Repeat("x", 201) }, "title"},
		{"no justification", func(d *orders.Draft) { d.Justification = "" }, "justification"},
		{"no account", func(d *orders.Draft) { d.AccountID = 0 }, "account"},
		{"disabled account", func(d *orders.Draft) { d.AccountID = disabled }, "account"},
		{"unknown product", func(d *orders.Draft) { d.Product = "cdn" }, "product"},
		{"not JSON", func(d *orders.Draft) { d.Params = []byte("{") }, "params"},
		{"bad WAF region", func(d *orders.Draft) { d.Region = "ap-beijing" }, "Region"},
		{"bad time unit", func(d *orders.Draft) {
			d.Params = []byte(strings.Replace(orderstest.WAFParams, `"TimeUnit":"m"`, `"TimeUnit":"w"`, 1))
		}, "Goods[0].GoodsDetail.TimeUnit"},
	}
	for _, tt := range tests {
		d := orderstest.Draft(orders.ProductWAF, acct)
		tt.edit(&d)
		_, err := svc.Compose(ctx, alice, d)
		fe, ok := fault.AsFields(err)
		if !ok || fe[tt.field].Key == "" {
			t.Errorf("%s: err = %v, want a message for %q", tt.name, err, tt.field)
		}
		if kindOf(err) != fault.Invalid {
			t.Errorf("%s: kind %v", tt.name, kindOf(err))
		}
	}
	var n int
	_ = pool.QueryRow(ctx, "SELECT count(*) FROM orders").Scan(&n)
	var events int
	_ = pool.QueryRow(ctx, "SELECT count(*) FROM audit_events WHERE action LIKE 'order.%'").Scan(&events)
	if n != 0 || events != 0 {
		t.Fatalf("refused drafts left %d orders and %d events", n, events)
	}
	// Only requesters compose.
	if _, err := svc.Compose(ctx, orderstest.NewUser(t, pool, "approver"), orderstest.Draft(orders.ProductTCB, acct)); kindOf(err) != fault.Refused {
		t.Fatalf("approver composed: %v", err)
	}
}

func TestEditRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	bob := orderstest.NewUser(t, pool, "requester")
	acct := orderstest.NewAccount(t, pool)
	o, err := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, acct))
	if err != nil {
		t.Fatal(err)
	}
	d := orderstest.Draft(orders.ProductTCB, acct)
	d.Params = []byte(strings.Replace(orderstest.TCBParams, `"TimeSpan":1`, `"TimeSpan":3`, 1))

	if _, err := svc.Update(ctx, bob, o.ID, o.Version, d); kindOf(err) != fault.Refused {
		t.Errorf("someone else edited: %v", err)
	}
	wrong := d
	wrong.Product = orders.ProductWAF
	if _, err := svc.Update(ctx, alice, o.ID, o.Version, wrong); kindOf(err) != fault.Invalid {
		t.Errorf("product changed: %v", err)
	}
	o2, err := svc.Update(ctx, alice, o.ID, o.Version, d)
	if err != nil {
		t.Fatal(err)
	}
	if o2.Version != 2 || o2.ParamsSHA256 == o.ParamsSHA256 {
		t.Errorf("edit: version %d, hash changed %v", o2.Version, o2.ParamsSHA256 != o.ParamsSHA256)
	}
	// An edit based on the old version loses.
	if _, err := svc.Update(ctx, alice, o.ID, o.Version, d); !kindOf(err).Conflicting() {
		t.Errorf("stale edit: %v", err)
	}
	// A pending order goes back to draft on edit, with approvals voided.
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := svc.Transition(ctx, tx, alice, o2, orders.StatusPendingApproval, "order.submitted", nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	o3, err := svc.Update(ctx, alice, o.ID, o2.Version, d)
	if err != nil || o3.Status != orders.StatusDraft || o3.Version != 3 {
		t.Fatalf("edit of pending: %+v %v", o3, err)
	}
	events, _ := db.AuditEventsFor(ctx, pool, o.Subject())
	last := events[len(events)-1]
	if last.Action != "order.edited" || last.Details["approvals_voided"] != true || last.Details["from_status"] != "pending_approval" {
		t.Errorf("last event %+v", last)
	}
}

func TestDeleteOnlyOwnDrafts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	bob := orderstest.NewUser(t, pool, "requester")
	o, _ := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductTCB, orderstest.NewAccount(t, pool)))
	if err := svc.Delete(ctx, bob, o.ID); kindOf(err) != fault.Refused {
		t.Fatalf("bob deleted alice's draft: %v", err)
	}
	if err := svc.Delete(ctx, alice, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(ctx, o.ID); kindOf(err) != fault.NotFound {
		t.Fatalf("deleted order still there: %v", err)
	}
	events, _ := db.AuditEventsFor(ctx, pool, o.Subject())
	if len(events) != 2 || events[1].Action != "order.deleted" {
		t.Fatalf("events %+v", events)
	}
}

func TestConcurrentTransitionsHaveOneWinner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	o, _ := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductWAF, orderstest.NewAccount(t, pool)))

	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for range n {
		wg.Go(func() {
			err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
				_, err := svc.Transition(ctx, tx, alice, o, orders.StatusPendingApproval, "order.submitted", nil)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			switch kindOf(err) {
			case 0:
				if err == nil {
					wins++
				} else {
					t.Errorf("unexpected error: %v", err)
				}
			case fault.Conflict, fault.Stale:
				conflicts++
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != n-1 {
		t.Fatalf("wins %d, conflicts %d", wins, conflicts)
	}
	events, _ := db.AuditEventsFor(ctx, pool, o.Subject())
	if len(events) != 2 {
		t.Fatalf("%d events: the losers must not write any", len(events))
	}
}

func TestTransitionRefusesWhatTheStateMachineForbids(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	svc := orders.NewService(pool)
	alice := orderstest.NewUser(t, pool, "requester")
	o, _ := svc.Compose(ctx, alice, orderstest.Draft(orders.ProductWAF, orderstest.NewAccount(t, pool)))
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := svc.Transition(ctx, tx, alice, o, orders.StatusSending, "order.sending", nil)
		return err
	})
	if !kindOf(err).Conflicting() {
		t.Fatalf("draft → sending: %v", err)
	}
}
