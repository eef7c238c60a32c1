// Package orderstest makes users, accounts and orders in a real test
// database, for the tests of every package that works with orders.
package orderstest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
)

// Realistic bodies, one per product: the registry's examples, which the
// sandbox accepts.
var (
	WAFParams          = orders.ProductWAF.Spec().Example
	BillingParams      = orders.ProductBilling.Spec().Example
	BillingRenewParams = orders.ProductBillingRenew.Spec().Example // one Cloud Firewall instance, a month
	TCBParams          = orders.ProductTCB.Spec().Example
)

var seq atomic.Int64

// NewUser stores a user with roles and returns an actor for them.
func NewUser(t testing.TB, pool db.Pool, roles ...string) orders.Actor {
	t.Helper()
	u, err := db.InsertUser(context.Background(), pool, db.NewUser{ //nolint:gosec // G101: a fixture's hash of nothing, never verified
		Username: fmt.Sprintf("user%d", seq.Add(1)), DisplayName: "Test User",
		// Never verified here: the column only insists on the PHC prefix.
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Roles: roles,
	})
	if err != nil {
		t.Fatal(err)
	}
	return orders.Actor{UserID: u.ID, Roles: roles, RemoteAddr: "127.0.0.1", RequestID: "test"}
}

// NewAccount stores an environment-keyed account: no secrets needed.
func NewAccount(t testing.TB, pool db.Pool) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(),
		`INSERT INTO tencentcloud_accounts (name, key_source) VALUES ($1, 'environment') RETURNING id`,
		fmt.Sprintf("account %d", seq.Add(1))).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Draft is a valid draft of product p for account: the registry's example
// body (Spec.Example), so a new product needs no edit here.
func Draft(p orders.Product, account int64) orders.Draft {
	spec := p.Spec()
	return orders.Draft{
		Product: p, AccountID: account, Title: "Buy it", Justification: "Because we need it",
		Params: []byte(spec.Example), Region: spec.ExampleRegion,
	}
}

// Move walks an order through statuses with Service.Transition, one
// transaction each, as the approval workflow would.
func Move(t testing.TB, pool db.Pool, svc *orders.Service, a orders.Actor, o orders.Order, to ...orders.Status) orders.Order {
	t.Helper()
	ctx := context.Background()
	for _, s := range to {
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			next, err := svc.Transition(ctx, tx, a, o, s, "test."+string(s), nil)
			o = next
			return err
		})
		if err != nil {
			t.Fatalf("orderstest: move order %d to %s: %v", o.ID, s, err)
		}
	}
	return o
}

// Approved composes an order of product p and moves it to approved.
func Approved(t testing.TB, pool db.Pool, svc *orders.Service, p orders.Product) orders.Order {
	t.Helper()
	a := NewUser(t, pool, "requester")
	o, err := svc.Compose(context.Background(), a, Draft(p, NewAccount(t, pool)))
	if err != nil {
		t.Fatal(err)
	}
	return Move(t, pool, svc, a, o, orders.StatusPendingApproval, orders.StatusApproved)
}
