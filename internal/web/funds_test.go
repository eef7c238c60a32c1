package web

import (
	"context"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
)

// The approval page sets the sandbox's balance against what the account
// has approved and not sent, and this order's estimate.
func TestApprovalPageChecksFunds(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	acct := env.account("Funded", simSecretID, simSecretKey)
	requester, _ := env.user("req", auth.RoleRequester)
	a := orders.Actor{UserID: requester.ID, Roles: []string{"requester"}}
	svc := orders.NewService(env.pool)

	// Already approved on the same account: Cloud Firewall, 1,280.00 CNY.
	first, err := svc.Compose(ctx, a, orderstest.Draft(orders.ProductBilling, acct.ID))
	if err != nil {
		t.Fatal(err)
	}
	orderstest.Move(t, env.pool, svc, a, first, orders.StatusPendingApproval, orders.StatusApproved)
	// Waiting: CloudBase personal, 19.90 CNY.
	o, err := svc.Compose(ctx, a, orderstest.Draft(orders.ProductTCB, acct.ID))
	if err != nil {
		t.Fatal(err)
	}
	if o, err = svc.Submit(ctx, a, o.ID, o.Version); err != nil {
		t.Fatal(err)
	}
	env.sim.SetBalance(simSecretID, 1_290_00)

	approver, _ := env.loggedIn("appr", auth.RoleApprover)
	_, body := approver.get("/orders/" + itoa(o.ID) + "/approval")
	doc := parseHTML(t, body)
	text := func(id string) string { return strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()) }
	if text("funds-balance") != "1,290.00 CNY" || text("funds-committed") != "− 1,280.00 CNY" ||
		text("funds-available") != "10.00 CNY" || text("funds-estimate") != "19.90 CNY" ||
		!strings.HasPrefix(text("funds-verdict"), "Not enough") {
		t.Fatalf("funds check: %q %q %q %q %q", text("funds-balance"), text("funds-committed"), text("funds-available"),
			text("funds-estimate"), text("funds-verdict"))
	}

	// The balance is cached: a top-up shows after the cache's minute, not
	// at once (so the page does not call Tencent Cloud per view).
	env.sim.SetBalance(simSecretID, 10_000_00)
	_, body = approver.get("/orders/" + itoa(o.ID) + "/approval")
	if doc = parseHTML(t, body); text("funds-balance") != "1,290.00 CNY" {
		t.Fatalf("balance not cached: %q", text("funds-balance"))
	}
	calls := 0
	for _, c := range env.sim.Calls() {
		if c.Action == "DescribeAccountBalance" {
			calls++
		}
	}
	if calls != 1 {
		t.Fatalf("%d balance inquiries for two page views", calls)
	}
}
