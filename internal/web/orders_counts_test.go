package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// countsOf reads the orders list's counts: the total and, per status, its
// count and the link that lists those orders.
func countsOf(t *testing.T, c *client, path string) (total int, byStatus map[string]int, links map[string]string) {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	doc := parseHTML(t, body)
	total, err := strconv.Atoi(doc.Find(`[data-testid="orders-total"]`).Text())
	if err != nil {
		t.Fatalf("%s: no total: %v", path, err)
	}
	byStatus, links = map[string]int{}, map[string]string{}
	doc.Find(`[data-testid^="orders-count-"]`).Each(func(_ int, s *goquery.Selection) {
		tid, _ := s.Attr("data-testid")
		st := strings.TrimPrefix(tid, "orders-count-")
		f := strings.Fields(s.Text())
		n, err := strconv.Atoi(f[len(f)-1])
		if err != nil {
			t.Fatalf("%s: count %q: %v", path, s.Text(), err)
		}
		byStatus[st] = n
		if href, ok := s.Attr("href"); ok {
			links[st] = href
		}
	})
	return total, byStatus, links
}

// The counts beside the orders list agree with its rows for the same
// filters: the total is the number of rows over every page, and each
// status's count is the number of rows its link lists. Both ways of
// counting are covered: the kept counts (product, account, requester) and
// the capped count of matching orders (a date, an approver, a search).
func TestOrdersCountsAgreeWithRows(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	_, daveUser := env.loggedIn("dave", auth.RoleRequester)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	// Alice: one pending, one draft, one cancelled; Dave: one, approved.
	mine := env.pendingOrder(aliceUser)
	var copies []int64
	rows, err := env.pool.Query(context.Background(), `
		INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256, requester_id)
		SELECT product, account_id, region, title, justification, params, params_sha256, requester_id
		FROM orders, generate_series(1, 2) WHERE id = $1 RETURNING id`, mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, id)
	}
	if rows.Close(); rows.Err() != nil || len(copies) != 2 {
		t.Fatalf("copies %v: %v", copies, rows.Err())
	}
	env.setStatus(copies[0], orders.StatusCancelled)
	env.approve(bob, env.pendingOrder(daveUser))

	for _, tc := range []struct {
		c     *client
		query string
		want  int // rows (and total) the filter should find
	}{
		{carol, "", 4},
		{carol, "status=pending_approval", 1},
		{carol, "status=approved", 1},
		{carol, "requester=alice", 3},
		{carol, "requester=alice&status=cancelled", 1},
		{carol, "product=tcb&status=draft", 1},
		{carol, "approver=bob", 1},
		{carol, "q=CloudBase", 4},
		{carol, "q=CloudBase&status=draft", 1},
		{alice, "", 3},           // a requester starts on her own orders
		{alice, "requester=", 4}, // and may choose everyone's
		{alice, "requester=&status=approved", 1},
	} {
		path := "/orders?" + tc.query
		total, byStatus, links := countsOf(t, tc.c, path)
		ids, _ := listed(t, tc.c, path)
		if len(ids) != tc.want || total != tc.want {
			t.Errorf("%s: %d rows, total %d; want %d", path, len(ids), total, tc.want)
		}
		for st, n := range byStatus {
			link, ok := links[st]
			if !ok { // the status being shown: its count is the rows'
				if n != len(ids) {
					t.Errorf("%s: %s count %d, rows %d", path, st, n, len(ids))
				}
				continue
			}
			if got, _ := listed(t, tc.c, link); len(got) != n {
				t.Errorf("%s: %s count %d, but its link %s lists %d", path, st, n, link, len(got))
			}
		}
	}
}
