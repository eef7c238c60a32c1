package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
)

// listed is the order ids of every page of an orders list, following the
// next links from path.
func listed(t *testing.T, c *client, path string) (ids []int64, pages int) {
	t.Helper()
	seen := map[int64]bool{}
	for path != "" {
		resp, body := c.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		pages++
		doc := parseHTML(t, body)
		doc.Find(`[data-testid^="order-row-"]`).Each(func(_ int, s *goquery.Selection) {
			tid, _ := s.Attr("data-testid")
			id, _ := strconv.ParseInt(strings.TrimPrefix(tid, "order-row-"), 10, 64)
			if seen[id] {
				t.Errorf("%s: order %d shown twice", path, id)
			}
			seen[id] = true
			ids = append(ids, id)
		})
		path, _ = doc.Find(`[data-testid="orders-next"]`).Attr("href")
	}
	return ids, pages
}

func TestOrdersHistoryFiltersSearchesSortsAndPages(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	ctx := context.Background()
	_, alice := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	first := env.pendingOrder(alice)
	if resp, _ := bob.post("/orders/"+itoa(first.ID)+"/approve", decisionForm(first, "fine")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	// 120 copies, one in three updated later, one carrying Tencent Cloud's ids.
	// Copy g is created g days before the database's now(); the statement
	// also returns that now()'s day in UTC (the day filters read UTC days),
	// so the date filter below counts from the database's clock, not this
	// process's, and cannot straddle a midnight between the two.
	var dbToday time.Time
	if err := env.pool.QueryRow(ctx, `
		WITH copies AS (
		INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256, requester_id, created_at, updated_at)
		SELECT product, account_id, region, 'Copy ' || g || CASE WHEN g = 7 THEN ' 100%_off' ELSE '' END, justification, params, params_sha256, requester_id,
		       now() - make_interval(days => g), now() - make_interval(days => g) + CASE WHEN g % 3 = 0 THEN interval '200 days' ELSE interval '0' END
		FROM orders, generate_series(1, 120) g WHERE id = $1
		RETURNING 1)
		SELECT (now() AT TIME ZONE 'UTC')::date FROM copies LIMIT 1`, first.ID).Scan(&dbToday); err != nil {
		t.Fatal(err)
	}
	day := func(days int) string { return dbToday.AddDate(0, 0, days).Format(dateLayout) }
	var tagged int64
	if err := env.pool.QueryRow(ctx, `UPDATE orders SET request_id = 'req-abc-123', big_deal_id = 'bigdeal-9', billing_order_id = 'ord-77',
		deal_names = '{deal-one,deal-two}', instance_ids = '{ins-xyz}' WHERE title = 'Copy 42' RETURNING id`).Scan(&tagged); err != nil {
		t.Fatal(err)
	}

	all, pages := listed(t, carol, "/orders")
	if len(all) != 121 || pages != 3 {
		t.Fatalf("%d orders over %d pages, want 121 over 3", len(all), pages)
	}
	for i := 1; i < len(all); i++ {
		if all[i] >= all[i-1] {
			t.Fatalf("newest first: %d after %d", all[i], all[i-1])
		}
	}
	oldest, _ := listed(t, carol, "/orders?sort=oldest")
	for i := range oldest {
		if oldest[i] != all[len(all)-1-i] {
			t.Fatalf("oldest first is not newest first reversed at %d", i)
		}
	}
	updated, _ := listed(t, carol, "/orders?sort=updated")
	if len(updated) != 121 {
		t.Fatalf("by update: %d orders", len(updated))
	}

	for q, want := range map[string]int{
		"q=req-abc-123": 1, "q=bigdeal-9": 1, "q=ord-77": 1, "q=deal-two": 1, "q=ins-xyz": 1,
		"q=copy+4": 11, "q=100%25_off": 1, "q=py+%25": 0, "status=approved": 1, "status=draft": 120,
		"approver=bob": 1, "requester=alice": 121, "product=tcb": 121, "product=waf": 0,
		"from=" + day(-10) + "&to=" + day(-1): 10,
	} {
		ids, _ := listed(t, carol, "/orders?"+q)
		if len(ids) != want {
			t.Errorf("%s: %d orders, want %d", q, len(ids), want)
		}
		if strings.HasPrefix(q, "q=req") && (len(ids) != 1 || ids[0] != tagged) {
			t.Errorf("%s found %v, want %d", q, ids, tagged)
		}
	}
	_, body := carol.get("/orders?product=tcb")
	doc := parseHTML(t, body)
	if got := doc.Find(`[data-testid="orders-count-draft"]`).Text(); !strings.HasSuffix(got, " 120") {
		t.Errorf("draft count %q, want 120", got)
	}
	if got := doc.Find(`[data-testid="orders-count-approved"]`).Text(); !strings.HasSuffix(got, " 1") {
		t.Errorf("approved count %q, want 1", got)
	}
}

func TestOrdersHistoryRefusesBadFiltersClearly(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	for q, field := range map[string]string{
		"status=bogus": "status", "product=ec2": "product", "account=x": "account", "from=31/01/2025": "from",
		"q=ab": "q", "sort=random": "sort", "requester=nobody": "requester", "approver=ghost": "approver",
	} {
		resp, body := carol.get("/orders?" + q)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="orders-filter-error"`) ||
			!strings.Contains(body, `id="`+field+`-error"`) {
			t.Errorf("%s: %d without the error on %s", q, resp.StatusCode, field)
		}
	}
	if resp, _ := carol.get("/orders?after=zzz&after_updated=-1"); resp.StatusCode != http.StatusOK {
		t.Errorf("a mangled cursor: %d, want the first page", resp.StatusCode)
	}
}
