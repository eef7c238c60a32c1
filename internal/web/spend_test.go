package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// TestBilledAmountAndSpendPage: an order is sent to the sandbox, the bill
// job reads what it was charged, the order page shows billed == estimate,
// and the spend page and its exports count it.
func TestBilledAmountAndSpendPage(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	_, requester := env.loggedIn("req", auth.RoleRequester)
	approver, _ := env.loggedIn("appr", auth.RoleApprover)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	env.sendsByHand(orders.ProductTCB)
	o := env.sendable(requester, orders.ProductTCB)
	env.approve(approver, o)
	o = env.send(o)
	if o.Status != orders.StatusSucceeded {
		t.Fatalf("order is %s", o.Status)
	}
	doc := approver.page(orderURL(o))
	if doc.Find(`[data-testid="bill-waiting"], [data-testid="bill-billed"]`).Length() != 0 {
		t.Fatal("a bill is shown before any lookup")
	}
	if n, err := env.sender.BillSucceeded(ctx, sending.BillConfig{TolerancePercent: 1}, time.Now()); err != nil || n != 1 {
		t.Fatalf("bill pass: %d %v", n, err)
	}
	doc = approver.page(orderURL(o))
	est, billed := doc.Find(`[data-testid="bill-estimate"]`).Text(), doc.Find(`[data-testid="bill-billed"]`).Text()
	if est != "19.90 CNY" || billed != est || doc.Find(`[data-testid="bill-differs"]`).Length() != 0 {
		t.Fatalf("bill: estimate %q billed %q", est, billed)
	}
	if admin.page("/").Find(`[data-testid="bills-differing"]`).Length() != 0 {
		t.Fatal("the home page flags a bill that matches")
	}

	path := "/spend?account=" + itoa(o.AccountID)
	doc = approver.page(path)
	if got := doc.Find(`[data-testid="spend-total"]`).Text(); !strings.Contains(got, "19.90 CNY") {
		t.Fatalf("spend total %q", got)
	}
	if doc.Find(`[data-testid="spend-order-`+itoa(o.ID)+`"]`).Length() != 1 {
		t.Fatal("the order is not among the largest")
	}
	if doc.Find(`[data-testid="spend-by-month"] svg[role="img"] title`).Length() != 1 ||
		!strings.Contains(doc.Find(`[data-testid="spend-by-product-table"]`).Text(), "19.90 CNY") {
		t.Fatal("the charts lack their title or their table")
	}
	resp, body := approver.get("/spend/export.csv?account=" + itoa(o.AccountID))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeffid,title,product,") || !strings.Contains(body, ",1990,19.90,1990,1990,false") {
		t.Fatalf("csv %d:\n%s", resp.StatusCode, body)
	}
	resp, body = approver.get("/spend/export.jsonl?account=" + itoa(o.AccountID))
	lines := strings.Split(strings.TrimSpace(body), "\n")
	var rec map[string]any
	if resp.StatusCode != http.StatusOK || len(lines) != 2 || json.Unmarshal([]byte(lines[1]), &rec) != nil || rec["amount_fen"] != float64(1990) {
		t.Fatalf("jsonl %d:\n%s", resp.StatusCode, body)
	}
	// A differing bill shows on the order and the admins' home page.
	if _, err := env.pool.Exec(ctx, `UPDATE order_bills SET differs = true WHERE order_id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	if approver.page(orderURL(o)).Find(`[data-testid="bill-differs"]`).Length() != 1 {
		t.Fatal("the order page does not flag the difference")
	}
	if admin.page("/").Find(`[data-testid="bills-differing"] a[href="`+orderURL(o)+`"]`).Length() != 1 {
		t.Fatal("the admins' home page does not list it")
	}
	if resp, _ := approver.get("/spend?account=abc"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad account id: %d", resp.StatusCode)
	}
}
