package web

import (
	"net/url"
	"testing"

	"dealdesk/internal/auth"
)

// The orders list sorts by clicking its "Created" and "Last change" heads,
// keeping the filters; each head says how the list is sorted (aria-sort).
func TestOrdersSortByColumnHeads(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, alice := env.loggedIn("alice", auth.RoleRequester)
	_, dave := env.loggedIn("dave", auth.RoleRequester)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	a, d := env.pendingOrder(alice), env.pendingOrder(dave)

	head := func(path, testid string) (href, ariaSort string) {
		t.Helper()
		_, body := carol.get(path)
		doc := parseHTML(t, body)
		link := doc.Find(`[data-testid="` + testid + `"]`)
		href, _ = link.Attr("href")
		ariaSort, _ = link.Closest("th").Attr("aria-sort")
		return href, ariaSort
	}
	first := func(path string) int64 {
		t.Helper()
		ids, _ := listed(t, carol, path)
		if len(ids) != 2 {
			t.Fatalf("%s: %v, want both orders", path, ids)
		}
		return ids[0]
	}
	start := "/orders?product=tcb"
	if first(start) != d.ID {
		t.Fatal("the list does not start newest first")
	}
	oldest, sort := head(start, "sort-created")
	if sort != "descending" {
		t.Errorf("created head on the default list: aria-sort %q", sort)
	}
	if u, _ := url.Parse(oldest); u.Query().Get("product") != "tcb" || u.Query().Get("sort") != "oldest" {
		t.Fatalf("created head links to %q: want oldest first, the filter kept", oldest)
	}
	if first(oldest) != a.ID {
		t.Error("clicking Created does not list the oldest first")
	}
	back, sort := head(oldest, "sort-created")
	if sort != "ascending" || first(back) != d.ID {
		t.Errorf("clicking Created again (aria-sort %q there) does not list the newest first", sort)
	}
	byUpdate, _ := head(start, "sort-updated")
	if u, _ := url.Parse(byUpdate); u.Query().Get("sort") != "updated" || u.Query().Get("product") != "tcb" {
		t.Fatalf("last-change head links to %q", byUpdate)
	}
	if _, sort := head(byUpdate, "sort-updated"); sort != "descending" {
		t.Errorf("sorted by last change, its head says %q", sort)
	}
}
