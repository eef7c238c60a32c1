package browsertest_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/orders"
	"dealdesk/internal/tcapi/tcsim"
	bt "dealdesk/internal/web/browsertest"
)

// Alice asks for her CloudBase order to be bought a few seconds ahead, in
// her time zone, and submits it; Bob approves it (the policy sends once
// approved). Nothing is called before the time; the order page, left open,
// reloads itself and reaches "Succeeded" once the scheduled send has run,
// bought once, on or after the time asked.
func TestScheduledDeliveryIsSentAtItsTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := bt.StartConsole(t)
	alicePW := c.CreateUser(t, "alice", auth.RoleRequester)
	bobPW := c.CreateUser(t, "bob", auth.RoleApprover)
	o := seedSandboxDraft(t, c, "alice", orders.ProductTCB)
	page := fmt.Sprintf("/orders/%d", o.ID)
	pool := dbtest.Open(t, c.DatabaseURL)
	// Her zone is Shanghai: the form reads the time there.
	if _, err := pool.Exec(ctx, `UPDATE users SET time_zone = 'Asia/Shanghai' WHERE username = 'alice'`); err != nil {
		t.Fatal(err)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}

	alice := bt.NewBrowser(t, c)
	alice.Login("alice", alicePW)
	alice.Open(page)
	// The form takes whole minutes, as a person writes them: the next
	// minute at least 20 seconds ahead.
	at := time.Now().Add(20 * time.Second).Truncate(time.Minute).Add(time.Minute)
	alice.Do(chromedp.SetValue(bt.TestID("field-deliver_at"), at.In(shanghai).Format("2006-01-02T15:04")))
	press(alice, "delivery-button")
	if got := alice.Text("flash"); !strings.Contains(got, "Delivery date saved") {
		t.Fatalf("flash: %q", got)
	}
	press(alice, "submit-button")

	bob := bt.NewBrowser(t, c)
	bob.Login("bob", bobPW)
	bob.Open(page)
	press(bob, "approve-button")
	press(bob, "send-confirm-button")
	// The order page, opened once and left open.
	bob.Open(page)
	if time.Now().Before(at) {
		if calls := c.SandboxCalls(t); len(calls) != 0 {
			t.Fatalf("the sandbox received %d calls before the delivery time", len(calls))
		}
		if !bob.HasTestID("delivery-cancel-button") {
			t.Error("no Cancel scheduled delivery while the send waits for its time")
		}
	}
	// The page left open reloads itself (a meta refresh) until the
	// outcome is recorded: no Open here.
	read := `(document.querySelector('[data-testid="order-status"]')?.textContent ?? "").trim()`
	deadline := at.Add(90 * time.Second)
	for got := ""; got != "Succeeded"; got = bt.Run(bob, chromedp.Evaluate[string](read)) {
		if time.Now().After(deadline) {
			t.Fatalf("the order page still reads %q", got)
		}
		time.Sleep(500 * time.Millisecond)
	}
	// The delivery reads the balance first (its funds check), then buys.
	calls := slices.DeleteFunc(c.SandboxCalls(t), func(c tcsim.Call) bool { return c.Action == "DescribeAccountBalance" })
	if len(calls) != 1 || !calls[0].Bought {
		t.Fatalf("the sandbox received %+v; want one purchase", calls)
	}
	var sentAt time.Time
	if err := pool.QueryRow(ctx, `SELECT sent_at FROM orders WHERE id = $1`, o.ID).Scan(&sentAt); err != nil {
		t.Fatal(err)
	}
	if sentAt.Before(at) {
		t.Fatalf("sent at %s, before the delivery time %s", sentAt, at)
	}
}
