package orders_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// submitted composes an order of the requester's and submits it.
func submitted(t *testing.T, svc *orders.Service, requester orders.Actor, p orders.Product, account int64) orders.Order {
	t.Helper()
	ctx := context.Background()
	o, err := svc.Compose(ctx, requester, orderstest.Draft(p, account))
	if err != nil {
		t.Fatal(err)
	}
	o, err = svc.Submit(ctx, requester, o.ID, o.Version)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != orders.StatusPendingApproval {
		t.Fatalf("submitted order is %s", o.Status)
	}
	return o
}

// sendLog is a SendEnqueuer that writes each send into a table inside the
// approving transaction, as River's InsertTx would: a send that is counted
// committed with its approval, and one whose approval rolled back is gone.
type sendLog struct {
	pool db.Pool
	fail error
}

func newSendLog(t *testing.T, pool db.Pool) *sendLog {
	t.Helper()
	if _, err := pool.Exec(context.Background(),
		`CREATE TABLE test_sends (order_id bigint NOT NULL, version int NOT NULL, params_sha256 text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return &sendLog{pool: pool}
}

func (l *sendLog) EnqueueSend(ctx context.Context, tx pgx.Tx, o orders.Order) error {
	if l.fail != nil {
		return l.fail
	}
	_, err := tx.Exec(ctx, `INSERT INTO test_sends VALUES ($1, $2, $3)`, o.ID, o.Version, o.ParamsSHA256)
	return err
}

type sent struct {
	Version int
	Hash    string
}

func (l *sendLog) sends(t *testing.T, orderID int64) []sent {
	t.Helper()
	rows, err := l.pool.Query(context.Background(), `SELECT version, params_sha256 FROM test_sends WHERE order_id = $1`, orderID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sent
	for rows.Next() {
		var s sent
		if err := rows.Scan(&s.Version, &s.Hash); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// noticeLog is a Notifier that remembers what it was asked to queue. Only
// tests that never roll back a notifying transaction use it.
type noticeLog struct {
	mu      sync.Mutex
	notices []orders.Notice
}

func (l *noticeLog) EnqueueNotice(_ context.Context, _ pgx.Tx, n orders.Notice) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notices = append(l.notices, n)
	return nil
}

func (l *noticeLog) events() []orders.NoticeEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []orders.NoticeEvent
	for _, n := range l.notices {
		out = append(out, n.Event)
	}
	return out
}

func actions(t *testing.T, pool db.Pool, o orders.Order) []string {
	t.Helper()
	events, err := db.AuditEventsFor(context.Background(), pool, o.Subject())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action
	}
	return out
}
