package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/web/static"
)

// routeWant is what each kind of visitor gets from one route: a status, and
// for redirects "303 " and the target. {id} is the target user's id.
type routeWant struct {
	method, path                                   string
	anonymous, requester, approver, admin, auditor string
	// fresh: the request ends the visitor's session, so it gets its own.
	fresh bool
}

const (
	toLogin   = "303 /login"
	forbidden = "403"
)

// routeTable lists every route with what every role gets. A route added to
// routes() without a line here fails TestEveryRouteWithEveryRole: adding
// one means deciding, in review, who may use it. POSTs carry a valid CSRF
// token and an empty form.
var routeTable = []routeWant{
	{"GET", "/healthz", "200", "200", "200", "200", "200", false},
	{"GET", "/readyz", "200", "200", "200", "200", "200", false},
	// No role opens /metrics, only its bearer token (metrics_test.go); with
	// none configured, as here, it does not exist.
	{"GET", "/metrics", "404", "404", "404", "404", "404", false},
	{"GET", static.Prefix + "*", "200", "200", "200", "200", "200", false},

	{"GET", "/login", "200", "303 /", "303 /", "303 /", "303 /", false},
	{"POST", "/login", "422", "422", "422", "422", "422", false},
	{"GET", "/login/oidc", "404", "404", "404", "404", "404", false},
	{"GET", "/login/oidc/callback", "404", "404", "404", "404", "404", false},
	{"POST", "/logout", toLogin, "303 /login?signed_out=1", "303 /login?signed_out=1", "303 /login?signed_out=1", "303 /login?signed_out=1", true},

	{"GET", "/", toLogin, "200", "200", "200", "200", false},
	{"POST", "/language", "422", "422", "422", "422", "422", false},
	{"GET", "/account/profile", "303 /login?next=%2Faccount%2Fprofile", "200", "200", "200", "200", false},
	{"POST", "/account/profile", toLogin, "303 /account/profile", "303 /account/profile", "303 /account/profile", "303 /account/profile", false},
	{"GET", "/account/password", "303 /login?next=%2Faccount%2Fpassword", "200", "200", "200", "200", false},
	{"POST", "/account/password", toLogin, "422", "422", "422", "422", false},
	{"GET", "/account/tokens", "303 /login?next=%2Faccount%2Ftokens", "200", "200", "200", "200", false},
	{"POST", "/account/tokens", toLogin, "422", "422", "422", "422", false},
	// {id} is a user's id; no token has it, or it is not theirs: 404.
	{"POST", "/account/tokens/:id/revoke", toLogin, "404", "404", "404", "404", false},
	{"GET", "/admin/tokens", "303 /login?next=%2Fadmin%2Ftokens", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/tokens", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/tokens/:id/revoke", toLogin, forbidden, forbidden, "404", forbidden, false},

	{"GET", "/orders", "303 /login?next=%2Forders", "200", "200", "200", "200", false},
	{"GET", "/orders/export.csv", "303 /login?next=%2Forders%2Fexport.csv", "200", "200", "200", "200", false},
	{"GET", "/orders/export.jsonl", "303 /login?next=%2Forders%2Fexport.jsonl", "200", "200", "200", "200", false},
	{"GET", "/orders/new", "303 /login?next=%2Forders%2Fnew", "200", forbidden, forbidden, forbidden, false},
	{"GET", "/orders/new/:product", "303 /login?next=%2Forders%2Fnew%2Fwaf", "200", forbidden, forbidden, forbidden, false},
	// An empty form is a WAF order with no title, account, region or goods.
	{"POST", "/orders/new/:product", toLogin, "422", forbidden, forbidden, forbidden, false},
	// {id} is a user's id; no order has it, so those who may ask get 404.
	{"GET", "/orders/:id", "303 /login?next=%2Forders%2F{id}", "404", "404", "404", "404", false},
	{"GET", "/orders/:id/edit", "303 /login?next=%2Forders%2F{id}%2Fedit", "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/edit", toLogin, "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/delete", toLogin, "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/clone", toLogin, "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/renew", toLogin, "404", forbidden, forbidden, forbidden, false},

	{"GET", "/admin/users", "303 /login?next=%2Fadmin%2Fusers", forbidden, forbidden, "200", forbidden, false},
	{"GET", "/admin/users/new", "303 /login?next=%2Fadmin%2Fusers%2Fnew", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/users", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/admin/users/:id", "303 /login?next=%2Fadmin%2Fusers%2F{id}", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/users/:id", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/users/:id/disable", toLogin, forbidden, forbidden, "303 /admin/users/{id}", forbidden, false},
	{"POST", "/admin/users/:id/enable", toLogin, forbidden, forbidden, "303 /admin/users/{id}", forbidden, false},
	{"POST", "/admin/users/:id/password", toLogin, forbidden, forbidden, "200", forbidden, false},
	{"GET", "/admin/users/:id/sessions", "303 /login?next=%2Fadmin%2Fusers%2F{id}%2Fsessions", forbidden, forbidden, "200", forbidden, false},
	// An empty form names no session: 404 for whoever may ask.
	{"POST", "/admin/users/:id/sessions/end", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/users/:id/sessions/end-all", toLogin, forbidden, forbidden, "303 /admin/users/{id}/sessions", forbidden, false},

	// Under /admin/accounts, {id} is a Tencent Cloud account's id.
	{"GET", "/admin/accounts", "303 /login?next=%2Fadmin%2Faccounts", forbidden, forbidden, "200", forbidden, false},
	{"GET", "/admin/accounts/new", "303 /login?next=%2Fadmin%2Faccounts%2Fnew", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/accounts", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/admin/accounts/:id", "303 /login?next=%2Fadmin%2Faccounts%2F{id}", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/accounts/:id/keys", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/accounts/:id/disable", toLogin, forbidden, forbidden, "303 /admin/accounts/{id}", forbidden, false},
	{"POST", "/admin/accounts/:id/enable", toLogin, forbidden, forbidden, "303 /admin/accounts/{id}", forbidden, false},
	// Checking answers with the result page: it changes nothing to redirect after.
	{"POST", "/admin/accounts/:id/check", toLogin, forbidden, forbidden, "200", forbidden, false},
	// An empty form names no number of days: refused next to the field.
	{"POST", "/admin/accounts/:id/renewal-lead-days", toLogin, forbidden, forbidden, "422", forbidden, false},

	// Approvals. {id} names no order: whoever may ask gets 404 (an empty
	// reject form is refused for its missing reason first, then 404s too).
	{"GET", "/approvals", "303 /login?next=%2Fapprovals", forbidden, "200", forbidden, forbidden, false},
	{"GET", "/orders/:id/approval", "303 /login?next=%2Forders%2F{id}%2Fapproval", "404", "404", "404", "404", false},
	{"POST", "/orders/:id/submit", toLogin, "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/withdraw", toLogin, "404", forbidden, forbidden, forbidden, false},
	{"POST", "/orders/:id/cancel", toLogin, "404", forbidden, "404", forbidden, false},
	{"POST", "/orders/:id/approve", toLogin, forbidden, "404", forbidden, forbidden, false},
	{"POST", "/orders/:id/reject", toLogin, forbidden, "404", forbidden, forbidden, false},
	// Send now is a page first; a POST that did not come from it (here an
	// empty form) is sent back to it, and nothing is sent.
	{"GET", "/orders/:id/send", "303 /login?next=%2Forders%2F{id}%2Fsend", "404", "404", "404", forbidden, false},
	{"POST", "/orders/:id/send", toLogin, "303 /orders/{id}/send", "303 /orders/{id}/send", "303 /orders/{id}/send", forbidden, false},
	{"POST", "/orders/:id/delivery", toLogin, "404", "404", "404", forbidden, false},
	{"POST", "/orders/:id/delivery/cancel", toLogin, "404", "404", "404", forbidden, false},
	{"POST", "/orders/:id/resend", toLogin, forbidden, "404", "404", forbidden, false},
	{"POST", "/orders/:id/settle", toLogin, forbidden, "404", "404", forbidden, false},
	// An empty form names no lookup: refused before the order is read.
	{"POST", "/orders/:id/reconcile", toLogin, forbidden, "400", "400", forbidden, false},

	// History and audit.
	{"GET", "/orders/:id/history", "303 /login?next=%2Forders%2F{id}%2Fhistory", "404", "404", "404", "404", false},
	{"GET", "/audit", "303 /login?next=%2Faudit", forbidden, forbidden, "200", "200", false},
	{"GET", "/audit/verify", "303 /login?next=%2Faudit%2Fverify", forbidden, forbidden, "200", "200", false},
	// {id} names no check yet (the POST below starts check 1 afterwards).
	{"GET", "/audit/verify/:id", "303 /login?next=%2Faudit%2Fverify%2F{id}", forbidden, forbidden, "404", "404", false},
	{"POST", "/audit/verify", toLogin, forbidden, forbidden, "303 /audit/verify/1", forbidden, false},
	{"GET", "/audit/export.csv", "303 /login?next=%2Faudit%2Fexport.csv", forbidden, forbidden, "200", "200", false},
	{"GET", "/audit/export.jsonl", "303 /login?next=%2Faudit%2Fexport.jsonl", forbidden, forbidden, "200", "200", false},

	// Prices: an empty import form names no file.
	{"GET", "/admin/prices", "303 /login?next=%2Fadmin%2Fprices", forbidden, forbidden, "200", "200", false},
	{"GET", "/admin/prices/export.csv", "303 /login?next=%2Fadmin%2Fprices%2Fexport.csv", forbidden, forbidden, "200", "200", false},
	{"POST", "/admin/prices", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/admin/budgets", "303 /login?next=%2Fadmin%2Fbudgets", forbidden, forbidden, "200", "200", false},
	{"POST", "/admin/budgets", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/budgets/:id", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/budgets/:id/delete", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/cost-centres", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"POST", "/admin/cost-centres/:id/retire", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/spend", "303 /login?next=%2Fspend", forbidden, "200", "200", "200", false},
	{"GET", "/spend/export.csv", "303 /login?next=%2Fspend%2Fexport.csv", forbidden, "422", "422", "422", false},
	{"GET", "/spend/export.jsonl", "303 /login?next=%2Fspend%2Fexport.jsonl", forbidden, "422", "422", "422", false},
	{"GET", "/renewals", "303 /login?next=%2Frenewals", "200", "200", "200", forbidden, false},

	// Admin: approval policies. {id} names no policy: 404.
	{"GET", "/admin/policies", "303 /login?next=%2Fadmin%2Fpolicies", forbidden, forbidden, "200", forbidden, false},
	{"GET", "/admin/policies/new", "303 /login?next=%2Fadmin%2Fpolicies%2Fnew", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/policies", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/admin/policies/:id", "303 /login?next=%2Fadmin%2Fpolicies%2F{id}", forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/delete", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/secret", toLogin, forbidden, forbidden, "404", forbidden, false},
	// Notifications: each person's own preferences (an empty form changes
	// nothing); the delivery log is the admins'. {id} names no delivery.
	{"GET", "/account/notifications", "303 /login?next=%2Faccount%2Fnotifications", "200", "200", "200", "200", false},
	{"POST", "/account/notifications", toLogin, "303 /account/notifications", "303 /account/notifications", "303 /account/notifications", "303 /account/notifications", false},
	{"GET", "/admin/deliveries", "303 /login?next=%2Fadmin%2Fdeliveries", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/deliveries/:id/resend", toLogin, forbidden, forbidden, "404", forbidden, false},
	// A policy's rules: {id} is no policy, so admins get 404.
	{"GET", "/admin/policies/:id/rules", "303 /login?next=%2Fadmin%2Fpolicies%2F{id}%2Frules", forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/rules", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"GET", "/admin/policies/:id/rules/:rule", "303 /login?next=%2Fadmin%2Fpolicies%2F{id}%2Frules%2F%3Arule", forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/rules/:rule", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/rules/:rule/delete", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/policies/:id/rules/:rule/move", toLogin, forbidden, forbidden, "404", forbidden, false},
	// Approver groups: {id} is no group.
	{"GET", "/admin/groups", "303 /login?next=%2Fadmin%2Fgroups", forbidden, forbidden, "200", forbidden, false},
	{"POST", "/admin/groups", toLogin, forbidden, forbidden, "422", forbidden, false},
	{"GET", "/admin/groups/:id", "303 /login?next=%2Fadmin%2Fgroups%2F{id}", forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/groups/:id", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/groups/:id/delete", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/groups/:id/members", toLogin, forbidden, forbidden, "404", forbidden, false},
	{"POST", "/admin/groups/:id/members/:user/delete", toLogin, forbidden, forbidden, "404", forbidden, false},
}

// TestEveryRouteWithEveryRole walks every route of routes() as an anonymous
// visitor and as a user of each role, and checks the status each gets.
func TestEveryRouteWithEveryRole(t *testing.T) {
	t.Parallel()
	env := newEnv(t)
	target, _ := env.user("target", auth.RoleRequester)
	userID := strconv.FormatInt(target.ID, 10)
	account := env.account("Route walk", simSecretID, simSecretKey)
	accountID := strconv.FormatInt(account.ID, 10)

	// Every route has a line in the table, and every line a route.
	s := &Server{log: discard()}
	declared := map[string]bool{}
	for _, r := range s.routes() {
		key := r.Method + " " + r.Path
		declared[key] = true
		if r.Role == "" {
			t.Errorf("%s declares no role", key)
		}
	}
	listed := map[string]bool{}
	for _, w := range routeTable {
		listed[w.method+" "+w.path] = true
	}
	for key := range declared {
		if !listed[key] {
			t.Errorf("%s is in routes() but not in routeTable: say what every role gets", key)
		}
	}
	for key := range listed {
		if !declared[key] {
			t.Errorf("%s is in routeTable but not in routes()", key)
		}
	}

	type principal struct {
		name   string
		role   auth.Role // "" for anonymous
		client *client
	}
	principals := []*principal{{name: "anonymous"}, {name: "requester", role: auth.RoleRequester},
		{name: "approver", role: auth.RoleApprover}, {name: "admin", role: auth.RoleAdmin}, {name: "auditor", role: auth.RoleAuditor}}
	passwords := map[string]string{}
	for _, p := range principals {
		if p.role == "" {
			p.client = env.client()
			continue
		}
		_, passwords[p.name] = env.user(p.name, p.role)
		p.client = env.client()
		p.client.login(p.name, passwords[p.name])
	}

	for _, w := range routeTable {
		id := userID
		if strings.HasPrefix(w.path, "/admin/accounts") {
			id = accountID
		}
		path := strings.ReplaceAll(w.path, ":id", id)
		path = strings.ReplaceAll(path, ":product", "waf")
		path = strings.Replace(path, static.Prefix+"*", static.URL("app.css"), 1)
		wants := []string{w.anonymous, w.requester, w.approver, w.admin, w.auditor}
		for i, p := range principals {
			c := p.client
			if w.fresh && p.role != "" {
				c = env.client()
				c.login(p.name, passwords[p.name])
			}
			var resp *http.Response
			if w.method == http.MethodGet {
				resp, _ = c.get(path)
			} else {
				resp, _ = c.post(path, url.Values{})
			}
			got := strconv.Itoa(resp.StatusCode)
			if resp.StatusCode >= 300 && resp.StatusCode < 400 {
				got += " " + location(resp)
			}
			want := strings.ReplaceAll(wants[i], "{id}", id)
			if got != want {
				t.Errorf("%s %s as %s: got %q, want %q", w.method, w.path, p.name, got, want)
			}
		}
	}
}
