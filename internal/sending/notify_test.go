package sending

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/tcapi/tcsim"
)

// notices is a Notifier that keeps what it is given.
type notices struct {
	mu  sync.Mutex
	all []orders.Notice
}

func (n *notices) EnqueueNotice(_ context.Context, _ pgx.Tx, x orders.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.all = append(n.all, x)
	return nil
}

func (n *notices) events(id int64) []orders.NoticeEvent {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []orders.NoticeEvent
	for _, x := range n.all {
		if x.OrderID == id {
			out = append(out, x.Event)
		}
	}
	return out
}

func (n *notices) last() orders.Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.all[len(n.all)-1]
}

// A dropped answer is told as unknown; the bill lookup's proposal is told
// once (not again when a second pass finds the same); confirming it is
// told as the outcome, with the deals.
func TestUnknownProposalAndSettlementAreTold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	told := &notices{}
	f.sender.UseNotifier(told)
	admin := orderstest.NewUser(t, f.pool, "admin")
	if _, err := f.svc.SavePolicy(ctx, admin, 0, orders.PolicyInput{Product: orders.ProductWAF, RequiredApprovers: 1,
		WebhookURL: "https://hooks.example.com/x", WebhookFormat: orders.WebhookGeneric}); err != nil {
		t.Fatal(err)
	}
	account := orderstest.NewAccount(t, f.pool)
	o := f.composeUnknown(t, orders.ProductWAF, wafTerm(1), account, tcsim.Fault{Drop: true})
	if got := told.events(o.ID); !slices.Equal(got, []orders.NoticeEvent{orders.NoticeUnknown}) {
		t.Fatalf("told %v after the dropped answer, want unknown", got)
	}
	for range 2 {
		if _, err := f.sender.ReconcileUnknown(ctx, ReconcileConfig{Quiet: time.Hour}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if got := told.events(o.ID); !slices.Equal(got, []orders.NoticeEvent{orders.NoticeUnknown, orders.NoticeProposal}) {
		t.Fatalf("told %v after two lookups, want unknown then one proposal", got)
	}
	p := told.last()
	want := f.soldFor(t, o)
	if p.Proposal != ProposeBought || !slices.Equal(p.DealNames, want) || p.Explanation == "" {
		t.Fatalf("proposal notice %+v, want bought %v with the reason", p, want)
	}
	l, _, _ := f.sender.LatestFindings(ctx, o.ID)
	if _, err := f.sender.ConfirmLookup(ctx, orderstest.NewUser(t, f.pool, "approver"), o.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	if s := told.last(); s.Event != orders.NoticeSucceeded || s.OrderID != o.ID || !slices.Equal(s.DealNames, want) {
		t.Fatalf("settlement notice %+v, want succeeded with %v", s, want)
	}
}
