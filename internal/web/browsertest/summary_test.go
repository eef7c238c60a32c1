package browsertest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	bt "dealdesk/internal/web/browsertest"
)

// cfwParams is a Cloud Firewall purchase whose Internet bandwidth is bw
// Mbps: the edit approvers judge reads "25 → 50".
func cfwParams(bw int) []byte {
	return fmt.Appendf(nil, `{"ProductCode":"p_cloudfirewall","SubProductCode":"sp_cloudfirewall_svv1","RegionCode":"ap-guangzhou",`+
		`"ZoneCode":"ap-guangzhou-2","PayMode":"PrePay","Period":1,"PeriodUnit":"m","Quantity":1,`+
		`"Parameter":"{\"goodsNum\":1,\"pid\":1002147,\"productCode\":\"p_cloudfirewall\",\"subProductCode\":\"sp_cloudfirewall_svv1\",`+
		`\"sv_cloudfirewall_basic_aeps\":0,\"sv_cloudfirewall_basic_eeps\":1,\"sv_cloudfirewall_basic_ueps\":0,`+
		`\"sv_cloudfirewall_extended_clasps\":1,\"sv_cloudfirewall_extended_ibtesps\":%d,\"timeSpan\":1,\"timeUnit\":\"m\"}"}`, bw)
}

// fitsViewport fails the test when the page is wider than the window at
// width w (390 a phone, 1366 a laptop).
func fitsViewport(t *testing.T, b *bt.Browser, path string, w int64) {
	t.Helper()
	b.Do(chromedp.EmulateViewport(w, 900))
	b.Open(path)
	scroll := bt.Run(b, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	inner := bt.Run(b, chromedp.Evaluate[int64](`window.innerWidth`))
	if scroll > inner {
		t.Errorf("%s at %d px is %d px wide: %s", path, w, scroll, bt.Run(b, chromedp.Evaluate[string](widest)))
	}
}

// Bob judges orders of every product by their summary; an edited Cloud
// Firewall order shows its change in words ("Internet bandwidth 25 Mbps →
// 50 Mbps", from inside Parameter's JSON) with the raw diff below, the
// exact request in a keyboard-reachable box, and no page wider than the
// window. Approved, "Send now" asks for confirmation first, and buys from
// there.
func TestApprovalPagesSummariseAndTheEditReadsInWords(t *testing.T) {
	t.Parallel()
	c := bt.StartConsole(t)
	c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	ctx := context.Background()
	pool := dbtest.Open(t, c.DatabaseURL)
	u, err := db.GetUserByUsername(ctx, pool, "alice")
	if err != nil {
		t.Fatal(err)
	}
	alice := orders.Actor{UserID: u.ID, Roles: u.Roles}
	svc := orders.NewService(pool)
	if _, err := svc.SavePolicy(ctx, orders.Actor{UserID: u.ID, Roles: []string{"admin"}}, 0, orders.PolicyInput{
		Product: orders.ProductBilling, RequiredApprovers: 1, AutoSend: false,
	}); err != nil {
		t.Fatal(err)
	}
	submitted := func(p orders.Product) orders.Order {
		o := seedSandboxDraft(t, c, "alice", p)
		if o, err = svc.Submit(ctx, alice, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
		return o
	}

	// The Cloud Firewall order: submitted at 25 Mbps, withdrawn, edited to
	// 50 and submitted again.
	cfw := seedSandboxDraft(t, c, "alice", orders.ProductBilling)
	d := orderstest.Draft(orders.ProductBilling, cfw.AccountID)
	d.Params = cfwParams(25)
	steps := []func() (orders.Order, error){
		func() (orders.Order, error) { return svc.Update(ctx, alice, cfw.ID, cfw.Version, d) },
		func() (orders.Order, error) { return svc.Submit(ctx, alice, cfw.ID, cfw.Version) },
		func() (orders.Order, error) { return svc.Withdraw(ctx, alice, cfw.ID) },
		func() (orders.Order, error) {
			d.Params = cfwParams(50)
			return svc.Update(ctx, alice, cfw.ID, cfw.Version, d)
		},
		func() (orders.Order, error) { return svc.Submit(ctx, alice, cfw.ID, cfw.Version) },
	}
	for i, step := range steps {
		if cfw, err = step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	approval := fmt.Sprintf("/orders/%d/approval", cfw.ID)
	bob.Open(approval)
	if got := bob.Text("summary-headline"); got != "New purchase: Cloud Firewall Enterprise edition ×1, 1 month(s)" {
		t.Errorf("Cloud Firewall headline: %q", got)
	}
	diff := strings.Join(strings.Fields(bob.Text("approval-diff")), " ")
	if !strings.Contains(diff, "Internet bandwidth 25 Mbps 50 Mbps") || strings.Contains(diff, "sv_cloudfirewall") {
		t.Errorf("the worded diff reads %q, want Internet bandwidth 25 Mbps → 50 Mbps", diff)
	}
	if raw := strings.Join(strings.Fields(bob.Text("approval-raw-diff")), " "); !strings.Contains(raw, "Parameter.sv_cloudfirewall_extended_ibtesps 25 50") {
		t.Errorf("the raw diff reads %q", raw)
	}
	attrs := bt.Run(bob, chromedp.Evaluate[string](`(e => e.tabIndex + " " + e.getAttribute("role") + " " + e.getAttribute("aria-label"))(document.querySelector('[data-testid="order-params"]'))`))
	if attrs != "0 region Exact request" {
		t.Errorf("the exact request's box: %q", attrs)
	}

	pages := []string{approval, fmt.Sprintf("/orders/%d", cfw.ID)}
	for _, p := range []orders.Product{orders.ProductWAF, orders.ProductTCB, orders.ProductBillingRenew} {
		o := submitted(p)
		path := fmt.Sprintf("/orders/%d/approval", o.ID)
		bob.Open(path)
		want := map[orders.Product]string{
			orders.ProductWAF: "New purchase: WAF Premium edition", orders.ProductTCB: "New purchase: CloudBase Plan baas_personal",
			orders.ProductBillingRenew: "Renewal: Cloud Firewall instance cfwi-0a1b2c3d",
		}[p]
		if got := bob.Text("summary-headline"); !strings.HasPrefix(got, want) {
			t.Errorf("%s headline %q, want %q…", p, got, want)
		}
		pages = append(pages, path)
	}
	for _, p := range pages {
		for _, w := range []int64{1366, 390} {
			fitsViewport(t, bob, p, w)
		}
	}

	// Approved by hand-send policy: Send now is a confirmation first.
	bob.Do(chromedp.EmulateViewport(1366, 900))
	bob.Open(approval)
	press(bob, "approve-button")
	order := fmt.Sprintf("/orders/%d", cfw.ID)
	bob.Open(order)
	press(bob, "send-now-button")
	if bob.Path() != order+"/send" || !strings.Contains(strings.ToLower(bob.Text("confirm-approvers")), "bob") {
		t.Fatalf("Send now led to %s (approvers %q)", bob.Path(), bob.Text("confirm-approvers"))
	}
	for _, w := range []int64{1366, 390} {
		fitsViewport(t, bob, order+"/send", w)
	}
	bob.Do(chromedp.EmulateViewport(1366, 900))
	bob.Open(order + "/send")
	press(bob, "send-confirm-button")
	bob.OpenUntil(order, "order-status", "Succeeded")
}

// widest names the elements wider than the window, for a failing width check.
const widest = `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + (e.dataset.testid || '') + ':' + Math.round(e.getBoundingClientRect().right)).join(' ')`
