package web

import (
	"net/http"
	"strings"
	"testing"

	"dealdesk/internal/auth"
)

// The orders list and the audit log offer "Clear filters" while filtered,
// and it leads to the unfiltered page.
func TestClearFiltersLinks(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	admin, _ := env.loggedIn("root", auth.RoleAdmin, auth.RoleRequester)
	for filtered, link := range map[string]string{
		"/orders?product=tcb&status=draft": `<a href="/orders" data-testid="orders-clear-filters">Clear filters</a>`,
		"/audit?action=user.":              `<a href="/audit" data-testid="audit-clear-filters">Clear filters</a>`,
	} {
		resp, body := admin.get(filtered)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, link) {
			t.Errorf("%s: %d, no Clear filters link", filtered, resp.StatusCode)
		}
		to, _, _ := strings.Cut(strings.SplitN(link, `href="`, 2)[1], `"`)
		if resp, body := admin.get(to); resp.StatusCode != http.StatusOK || strings.Contains(body, `value="user."`) {
			t.Errorf("%s: %d or a filter survived", to, resp.StatusCode)
		}
	}
}
