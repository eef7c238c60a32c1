package sending

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
	"dealdesk/internal/tcapi/tcsim/tcsimtest"
)

// statements is a pgx tracer keeping the name of every sqlc statement run.
type statements struct {
	mu    sync.Mutex
	names []string
}

func (s *statements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if name, ok := strings.CutPrefix(strings.TrimSpace(d.SQL), "-- name: "); ok {
		name, _, _ = strings.Cut(name, " ")
		s.mu.Lock()
		s.names = append(s.names, name)
		s.mu.Unlock()
	}
	return ctx
}

func (s *statements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (s *statements) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.names
	s.names = nil
	return out
}

// newTracedFixture is newFixture on a pool whose statements are kept.
func newTracedFixture(t *testing.T) (*fixture, *statements) {
	t.Helper()
	log := &statements{}
	cfg := dbtest.New(t).Config().Copy()
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	sim := tcsimtest.Start(t, tcsim.Options{Keys: map[string]string{testSecretID: testSecretKey}, Resources: ownedByTests})
	client, err := tcapi.NewClient(tcapi.ClientConfig{Endpoint: sim.URL, Limiter: ratelimit.NewPgLimiter(pool, 20)})
	if err != nil {
		t.Fatal(err)
	}
	svc := orders.NewService(pool)
	return &fixture{pool: pool, svc: svc, sim: sim, sender: New(pool, svc, sandboxKeys{}, client, Config{Replica: "test"}, nil)}, log
}

// A send whose price list has not changed since the order was priced does
// not price it again: it reads whether the stored estimate is current and
// neither reads the whole list nor writes the estimate (issue 21: the
// sender re-priced and upserted on every send).
func TestSendDoesNotRepriceAnUnchangedList(t *testing.T) {
	t.Parallel()
	f, log := newTracedFixture(t)
	ctx := context.Background()
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	before, err := f.svc.EstimateFor(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	log.take()
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	ran := log.take()
	count := map[string]int{}
	for _, n := range ran {
		count[n]++
	}
	if count["EstimateIsCurrent"] != 1 || count["UpsertOrderEstimate"] != 0 || count["ListPriceEntries"] != 0 || count["LatestPriceListVersion"] != 0 {
		t.Fatalf("want the estimate checked once and neither the list read nor the estimate written, got:\n  %s", strings.Join(ran, "\n  "))
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusSucceeded {
		t.Fatalf("order is %s", got.Status)
	}
	after, err := f.svc.EstimateFor(ctx, o.ID)
	if err != nil || !after.ComputedAt.Equal(before.ComputedAt) || after.PriceList != before.PriceList {
		t.Fatalf("estimate rewritten: before %+v, after %+v (%v)", before, after, err)
	}
}

// The shortcut still sees a price of the same list version that took
// effect after the order was priced (a future-dated entry arriving on its
// day): the order returns for approval and nothing is sent.
func TestSendSeesAPriceTakingEffectInTheSameVersion(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	o := orderstest.Approved(t, f.pool, f.svc, orders.ProductTCB)
	// Priced two days ago; an entry of the same version took effect yesterday.
	if _, err := f.pool.Exec(ctx, `UPDATE order_estimates SET computed_at = now() - interval '2 days' WHERE order_id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := f.pool.Exec(ctx, `INSERT INTO price_list_entries (version_id, line, item, monthly_fen, effective_from)
		SELECT price_list_version, $2, 'baas_personal', 2990, $3::date FROM order_estimates WHERE order_id = $1`,
		o.ID, orders.PriceLineTCB, yesterday); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Send(ctx, o.ID, o.ParamsSHA256); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.purchases(); n != 0 {
		t.Fatalf("%d calls sent for an amount nobody approved", n)
	}
	if got := f.get(t, o.ID); got.Status != orders.StatusPendingApproval {
		t.Fatalf("order is %s", got.Status)
	}
	if est, _ := f.svc.EstimateFor(ctx, o.ID); est.String() != "29.90 CNY" {
		t.Fatalf("stored estimate %s", est)
	}
}
