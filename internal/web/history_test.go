package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/jobs"
)

func TestOrderHistoryShowsEveryEventAndApproval(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	_, alice := env.loggedIn("alice", auth.RoleRequester)
	bob, _ := env.loggedIn("bob", auth.RoleApprover)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	o := env.pendingOrder(alice)
	path := "/orders/" + itoa(o.ID)
	if resp, _ := bob.post(path+"/approve", decisionForm(o, "good value")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}

	_, body := carol.get(path)
	if !strings.Contains(body, `href="`+path+`/history"`) {
		t.Fatal("the order page does not link to its history")
	}
	resp, body := carol.get(path + "/history")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("history: %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	if got := doc.Find(`[data-testid="history-approver"]`).Text(); got != "bob (bob)" {
		t.Errorf("approver %q", got)
	}
	if got := doc.Find(`[data-testid="history-decision"]`).Text(); got != "approve" {
		t.Errorf("decision %q", got)
	}
	var actions, actors []string
	doc.Find(`[data-testid="audit-action"]`).Each(func(_ int, s *goquery.Selection) { actions = append(actions, s.Text()) })
	doc.Find(`[data-testid="audit-actor"]`).Each(func(_ int, s *goquery.Selection) { actors = append(actors, s.Text()) })
	events, err := db.AuditEventsFor(context.Background(), env.pool, fmt.Sprintf("order:%d", o.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 3 || len(actions) != len(events) {
		t.Fatalf("timeline shows %v, the log holds %d events", actions, len(events))
	}
	for i, e := range events {
		if actions[i] != e.Action {
			t.Errorf("event %d: %q, want %q (oldest first)", i, actions[i], e.Action)
		}
	}
	if actors[0] != "alice (alice)" || actors[len(actors)-1] != "bob (bob)" {
		t.Errorf("actors %v: want alice first and bob last", actors)
	}
}

func TestAuditPageFiltersAndPages(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	ctx := context.Background()
	for i := range 120 {
		if _, err := db.AppendAudit(ctx, env.pool, db.AuditEvent{Actor: "system", Action: "test.tick_%",
			Subject: fmt.Sprintf("thing:%d", i%3)}); err != nil {
			t.Fatal(err)
		}
	}
	// Walk every page of one subject's ticks: each entry once, newest first.
	seen := map[string]bool{}
	var last int64
	next := "/audit?" + url.Values{"action": {"test.tick_"}, "subject": {"thing:1"}, "actor": {"system"}}.Encode()
	pages := 0
	for next != "" {
		resp, body := carol.get(next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", next, resp.StatusCode)
		}
		pages++
		doc := parseHTML(t, body)
		doc.Find(`[data-testid^="audit-row-"]`).Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			if seen[id] {
				t.Errorf("%s shown twice", id)
			}
			seq, _ := strconv.ParseInt(strings.TrimPrefix(id, "audit-row-"), 10, 64)
			if last != 0 && seq >= last {
				t.Errorf("entry %d after %d: not newest first", seq, last)
			}
			seen[id], last = true, seq
			if got := s.Find(`[data-testid="audit-subject"]`).Text(); got != "thing:1" {
				t.Errorf("%s has subject %q", id, got)
			}
		})
		next, _ = doc.Find(`[data-testid="audit-next"]`).Attr("href")
	}
	if len(seen) != 40 || pages != 1 {
		t.Errorf("%d entries over %d pages, want 40 over 1", len(seen), pages)
	}
	// No filter: 120 ticks and the sign-in events take three pages.
	seen, pages, next = map[string]bool{}, 0, "/audit"
	for next != "" {
		_, body := carol.get(next)
		pages++
		doc := parseHTML(t, body)
		doc.Find(`[data-testid^="audit-row-"]`).Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-testid")
			if seen[id] {
				t.Errorf("%s shown twice", id)
			}
			seen[id] = true
		})
		next, _ = doc.Find(`[data-testid="audit-next"]`).Attr("href")
	}
	if len(seen) < 120 || pages != (len(seen)+49)/50 {
		t.Errorf("%d entries over %d pages", len(seen), pages)
	}
	// A % in the action filter is a literal character, not a wildcard.
	if _, body := carol.get("/audit?action=test.tick_%25"); strings.Count(body, `data-testid="audit-row-`) != 50 {
		t.Error("the literal prefix test.tick_% does not match the ticks")
	}
	if _, body := carol.get("/audit?action=test.t%25k"); !strings.Contains(body, `data-testid="audit-empty"`) {
		t.Error("% in a filter acted as a wildcard")
	}
}

func TestAuditPageRefusesBadFiltersClearly(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin)
	for _, q := range []string{"from=yesterday", "to=2025-13-01", "from=2025-02-01&to=2025-01-01", "actor=" + strings.Repeat("x", 300)} {
		resp, body := admin.get("/audit?" + q)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="audit-filter-error"`) {
			t.Errorf("%s: %d without the filter error", q, resp.StatusCode)
		}
	}
	if resp, body := admin.get("/audit?from=2000-01-01&to=2000-01-31"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "audit-empty") {
		t.Errorf("an empty date range: %d", resp.StatusCode)
	}
	if resp, _ := admin.get("/audit?before=garbage"); resp.StatusCode != http.StatusOK {
		t.Errorf("a mangled cursor: %d, want the first page", resp.StatusCode)
	}
}

func TestAuditVerifyPageFindsTheBrokenLink(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	root, _ := env.loggedIn("root", auth.RoleAdmin)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	ctx := context.Background()

	// Auditors read checks but have no button to start one.
	_, body := carol.get("/audit/verify")
	if strings.Contains(body, `data-testid="verify-start"`) || !strings.Contains(body, `data-testid="verify-none"`) {
		t.Fatalf("auditor's first view:\n%s", body)
	}
	id := startCheck(t, root)
	// Queued: the page says so, reloads itself, and tells screen readers.
	_, body = carol.get("/audit/verify/" + itoa(id))
	doc := parseHTML(t, body)
	if doc.Find(`[role="status"][data-testid="verify-progress"]`).Length() != 1 || doc.Find(`meta[http-equiv="refresh"]`).Length() != 1 {
		t.Fatalf("a queued check shows no progress or does not refresh:\n%s", body)
	}
	// A second ask while it waits shows the same check.
	if again := startCheck(t, root); again != id {
		t.Fatalf("second start: check %d, want %d", again, id)
	}
	if err := jobs.RunAuditVerification(ctx, env.pool, id, jobs.VerifyRun{}); err != nil {
		t.Fatal(err)
	}
	_, body = carol.get("/audit/verify/" + itoa(id))
	doc = parseHTML(t, body)
	if doc.Find(`[data-testid="verify-intact"]`).Length() != 1 || doc.Find(`meta[http-equiv="refresh"]`).Length() != 0 ||
		strings.TrimSpace(doc.Find(`[data-testid="verify-started-by"]`).Text()) != "root" {
		t.Fatalf("a finished intact check:\n%s", body)
	}

	e, err := db.AppendAudit(ctx, env.pool, db.AuditEvent{Actor: "system", Action: "test.victim"})
	if err != nil {
		t.Fatal(err)
	}
	// As the table's owner, around the append-only trigger.
	if _, err := env.pool.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
		UPDATE audit_events SET actor = 'mallory' WHERE id = `+itoa(e.ID)+`;
		ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`); err != nil {
		t.Fatal(err)
	}
	id2 := startCheck(t, root)
	if err := jobs.RunAuditVerification(ctx, env.pool, id2, jobs.VerifyRun{}); err != nil {
		t.Fatal(err)
	}
	_, body = carol.get("/audit/verify/" + itoa(id2))
	doc = parseHTML(t, body)
	got := doc.Find(`[role="alert"][data-testid="verify-broken"]`).Text()
	if !strings.Contains(got, fmt.Sprintf("audit event id %d", e.ID)) || !strings.Contains(got, "altered") {
		t.Fatalf("verify page: %q", got)
	}
	// The list keeps both results.
	_, body = carol.get("/audit/verify")
	doc = parseHTML(t, body)
	if n := doc.Find(`[data-testid="verify-list"] tbody tr`).Length(); n != 2 {
		t.Fatalf("%d checks listed, want 2", n)
	}
	if resp, _ := carol.post("/audit/verify", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an auditor started a check: %d", resp.StatusCode)
	}
}

// startCheck presses "Check the chain now" and returns the check's id.
func startCheck(t *testing.T, c *client) int64 {
	t.Helper()
	resp, _ := c.post("/audit/verify", url.Values{})
	loc := location(resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/audit/verify/") {
		t.Fatalf("start: %d %s", resp.StatusCode, loc)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/audit/verify/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestAuditorsChangeNothing posts to every POST route of routes() as an
// auditor: each is refused, except signing in and out and changing one's
// own password, API tokens, notification preferences, language or time
// zone (an auditor's read-only token is how a
// finance script pulls the month's orders). A POST route added later is
// covered without a new line.
func TestAuditorsChangeNothing(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	carol, _ := env.loggedIn("carol", auth.RoleAuditor)
	own := map[string]bool{"/login": true, "/logout": true, "/account/password": true,
		"/account/tokens": true, "/account/tokens/:id/revoke": true, "/account/notifications": true,
		"/language": true, "/account/profile": true}
	s := &Server{log: discard()}
	for _, r := range s.routes() {
		if r.Method != http.MethodPost || own[r.Path] {
			continue
		}
		path := strings.NewReplacer(":id", "1", ":product", "waf").Replace(r.Path)
		if resp, _ := carol.post(path, url.Values{}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s as an auditor: %d, want 403", r.Path, resp.StatusCode)
		}
	}
}
