package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dealdesk/internal/api"
	"dealdesk/internal/auth"
	"dealdesk/internal/fault"
	"dealdesk/internal/orders"
)

// TestTokensRefused: no token, a made-up one, an expired one and a revoked
// one are all 401 problems; nothing is done with them.
func TestTokensRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.user(auth.RoleRequester)
	ctx := context.Background()

	expired, err := e.auth.CreatePersonalToken(ctx, auth.Actor{UserID: u.ID}, auth.NewToken{Name: "old", Scopes: []string{"read"}, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE api_tokens SET created_at = now() - interval '3 days', expires_at = now() - interval '1 second' WHERE id = $1`, expired.Token.ID); err != nil {
		t.Fatal(err)
	}
	revoked, err := e.auth.CreatePersonalToken(ctx, auth.Actor{UserID: u.ID}, auth.NewToken{Name: "gone", Scopes: []string{"read", "compose"}, Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.call(revoked.Secret, "GET", "/me", nil); r.Status != 200 {
		t.Fatalf("before revoking: %d %s", r.Status, r.Body)
	}
	if _, err := e.auth.RevokeToken(ctx, auth.Actor{UserID: u.ID}, revoked.Token.ID, false); err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"none": "", "made up": "ddk_" + strings.Repeat("A", 43), "not ours": "ghp_abc",
		"expired": expired.Secret, "revoked": revoked.Secret,
	} {
		r := e.call(tok, "POST", "/orders", tcbBody(e.account, "Should not exist"))
		if r.Status != http.StatusUnauthorized || r.problem(t).Kind != "unauthorized" {
			t.Errorf("%s token: %d %s", name, r.Status, r.Body)
		}
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s token: no WWW-Authenticate", name)
		}
	}
	var n int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d orders (%v)", n, err)
	}
	// A disabled user's tokens stop working at once.
	live := e.token(u, "read")
	if _, err := e.auth.SetDisabled(ctx, auth.SystemActor("test"), u.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := e.call(live, "GET", "/me", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("disabled user's token: %d", r.Status)
	}
}

// TestServiceTokenNeverApproves: a service token cannot be given the
// approve scope or the approver role, and its call to approve is a 403.
func TestServiceTokenNeverApproves(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user(auth.RoleAdmin)
	ctx := context.Background()
	var fe fault.Fields
	if _, err := e.auth.CreateServiceToken(ctx, auth.Actor{UserID: admin.ID}, auth.NewServiceToken{
		Name: "ci", Roles: []string{"requester", "approver"}, Days: 30,
	}); !errors.As(err, &fe) || fe["roles"].String() == "" {
		t.Fatalf("service token with approver: %v", err)
	}
	svc, err := e.auth.CreateServiceToken(ctx, auth.Actor{UserID: admin.ID}, auth.NewServiceToken{Name: "ci pipeline", Roles: []string{"requester"}, Days: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, `UPDATE api_tokens SET scopes = scopes || '{approve}' WHERE id = $1`, svc.Token.ID); err == nil {
		t.Error("the database let a service token have the approve scope")
	}
	// Even if an admin later gives its user the approver role.
	if _, err := e.pool.Exec(ctx, `UPDATE users SET roles = '{requester,approver}' WHERE id = $1`, svc.Token.UserID); err != nil {
		t.Fatal(err)
	}
	_, reqTok := e.person(requesterRoles, "read", "compose")
	o := e.call(reqTok, "POST", "/orders", tcbBody(e.account, "Approve me, robot")).order(t)
	o = e.call(reqTok, "POST", path(o.ID, "/submit"), map[string]any{"version": o.Version}).order(t)

	r := e.call(svc.Secret, "POST", path(o.ID, "/approve"), map[string]any{"version": o.Version, "params_sha256": o.ParamsSHA256})
	if r.Status != http.StatusForbidden || r.problem(t).Kind != "refused" {
		t.Fatalf("service token approves: %d %s", r.Status, r.Body)
	}
	var me struct {
		Kind  string   `json:"kind"`
		Roles []string `json:"roles"`
	}
	e.call(svc.Secret, "GET", "/me", nil).decode(t, &me)
	if me.Kind != "service" || strings.Contains(strings.Join(me.Roles, ","), "approver") {
		t.Errorf("service token me: %+v", me)
	}
	// It composes as its own service user, named in the order.
	c := e.call(svc.Secret, "POST", "/orders", tcbBody(e.account, "From CI"))
	if c.Status != http.StatusCreated || c.order(t).RequesterID != svc.Token.UserID {
		t.Errorf("service token composes: %d %s", c.Status, c.Body)
	}
}

// TestPersonalTokenScopes: scopes must be the owner's powers, and each
// route demands its scope and role.
func TestPersonalTokenScopes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	auditor := e.user(auth.RoleAuditor)
	var fe fault.Fields
	if _, err := e.auth.CreatePersonalToken(ctx, auth.Actor{UserID: auditor.ID}, auth.NewToken{Name: "x", Scopes: []string{"compose"}, Days: 30}); !errors.As(err, &fe) {
		t.Errorf("auditor's compose token: %v", err)
	}
	if _, err := e.auth.CreatePersonalToken(ctx, auth.Actor{UserID: auditor.ID}, auth.NewToken{Name: "x", Scopes: []string{"read"}, Days: 400}); !errors.As(err, &fe) || fe["days"].String() == "" {
		t.Errorf("400-day token: %v", err)
	}
	audTok := e.token(auditor, "read")
	if r := e.call(audTok, "GET", "/audit?action=api_token", nil); r.Status != 200 {
		t.Errorf("auditor reads the audit log: %d %s", r.Status, r.Body)
	} else {
		var page struct {
			Entries []struct {
				Action string `json:"action"`
			} `json:"entries"`
		}
		r.decode(t, &page)
		if len(page.Entries) == 0 || page.Entries[0].Action != "api_token.created" {
			t.Errorf("audit page %+v", page)
		}
	}
	if r := e.call(audTok, "GET", "/audit/export?format=csv", nil); r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("audit export: %d %s", r.Status, r.Header)
	}

	// A requester with a read-only token reads, but composes nothing.
	req := e.user(auth.RoleRequester)
	readTok := e.token(req, "read")
	if r := e.call(readTok, "POST", "/orders", tcbBody(e.account, "Nope")); r.Status != http.StatusForbidden {
		t.Errorf("read-only token composes: %d %s", r.Status, r.Body)
	}
	if r := e.call(readTok, "GET", "/audit", nil); r.Status != http.StatusForbidden {
		t.Errorf("requester reads the audit log: %d %s", r.Status, r.Body)
	}
	if r := e.call(readTok, "GET", "/orders/export", nil); r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/jsonl") {
		t.Errorf("orders export: %d %s", r.Status, r.Header)
	}
	if r := e.call(readTok, "GET", "/orders/export?requester=nobody-at-all", nil); r.Status != 422 {
		t.Errorf("export naming nobody: %d %s", r.Status, r.Body)
	}
	if r := e.call("", "GET", "/openapi.json", nil); r.Status != 200 {
		t.Errorf("openapi.json: %d", r.Status)
	}
}

// TestEveryRouteDemandsItsScope walks the route table: a token holding
// every role but none of a route's scopes is refused with 403 before
// anything happens.
func TestEveryRouteDemandsItsScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := []auth.Role{auth.RoleRequester, auth.RoleApprover, auth.RoleAdmin, auth.RoleAuditor}
	u := e.user(all...)
	tokens := map[string]string{"read": e.token(u, "read"), "compose": e.token(u, "compose"), "approve": e.token(u, "approve")}
	for _, r := range api.Routes() {
		if r.Public {
			continue
		}
		p := strings.ReplaceAll(r.Path, ":id", "1")
		for scope, tok := range tokens {
			if strings.Contains(r.Scopes, scope) {
				continue
			}
			var body any
			if r.Method == "POST" {
				body = map[string]any{}
			}
			got := e.call(tok, r.Method, p, body)
			if got.Status != http.StatusForbidden {
				t.Errorf("%s %s with a %s token: %d %s", r.Method, r.Path, scope, got.Status, got.Body)
			}
		}
	}
}

// TestRateLimitPerToken: past its budget a token gets 429 with
// Retry-After; another token is unaffected.
func TestRateLimitPerToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withLimit(0.05, 3))
	u := e.user(auth.RoleRequester)
	tok, other := e.token(u, "read"), e.token(u, "read")
	for i := range 3 {
		if r := e.call(tok, "GET", "/me", nil); r.Status != 200 {
			t.Fatalf("call %d: %d", i, r.Status)
		}
	}
	r := e.call(tok, "GET", "/me", nil)
	if r.Status != http.StatusTooManyRequests || r.problem(t).Kind != "rate_limited" {
		t.Fatalf("fourth call: %d %s", r.Status, r.Body)
	}
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 21 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if r := e.call(other, "GET", "/me", nil); r.Status != 200 {
		t.Errorf("another token: %d", r.Status)
	}
}

// TestEveryRouteDemandsItsRoles walks the route table with an admin's
// token holding every scope: routes for requesters or approvers refuse it
// (403) before anything happens; the rest let it through to the domain.
func TestEveryRouteDemandsItsRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, tok := e.person([]auth.Role{auth.RoleAdmin}, "read", "compose", "approve")
	refused := map[string]bool{
		"POST /orders": true, "POST /orders/:id/submit": true, "POST /orders/:id/withdraw": true,
		"POST /orders/:id/approve": true, "POST /orders/:id/reject": true,
	}
	for _, r := range api.Routes() {
		var body any
		if r.Method == "POST" {
			body = map[string]any{}
		}
		got := e.call(tok, r.Method, strings.ReplaceAll(r.Path, ":id", "1"), body)
		key := r.Method + " " + r.Path
		if refused[key] != (got.Status == http.StatusForbidden) {
			t.Errorf("%s with an admin's token: %d %s", key, got.Status, got.Body)
		}
	}
}

// TestOpenAPIEnumsFollowTheDomain: the served document's statuses are
// exactly the domain's, its products exactly the registry's (filled in when
// served, so a new product needs no edit of openapi.json), and every
// product field and parameter is that Product schema.
func TestOpenAPIEnumsFollowTheDomain(t *testing.T) {
	t.Parallel()
	type schema struct {
		Ref        string   `json:"$ref"`
		Enum       []string `json:"enum"`
		Properties map[string]struct {
			Ref  string   `json:"$ref"`
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema schema `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]schema `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	order := doc.Components.Schemas["Order"].Properties
	var want []string
	for _, s := range orders.Statuses {
		want = append(want, string(s))
	}
	got := slices.Clone(order["status"].Enum)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("openapi.json statuses %v, the domain's %v", got, want)
	}
	products := doc.Components.Schemas["Product"].Enum
	for _, p := range products {
		if !orders.Product(p).Valid() {
			t.Errorf("openapi.json names product %q, which the domain does not know", p)
		}
	}
	for _, p := range []orders.Product{orders.ProductWAF, orders.ProductBilling, orders.ProductBillingRenew, orders.ProductTCB} {
		if !slices.Contains(products, string(p)) {
			t.Errorf("openapi.json lacks product %q", p)
		}
	}
	if len(products) != len(orders.Products) {
		t.Errorf("openapi.json products %v, the registry's %v", products, orders.Products)
	}
	const ref = "#/components/schemas/Product"
	refs := 0
	for name, s := range doc.Components.Schemas {
		if p, ok := s.Properties["product"]; ok {
			if p.Ref != ref || p.Enum != nil {
				t.Errorf("schema %s: product is %+v, want the Product schema", name, p)
			}
			refs++
		}
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for _, prm := range op.Parameters {
				if prm.Name == "product" {
					if prm.Schema.Ref != ref {
						t.Errorf("%s %s: parameter product is %+v, want the Product schema", method, path, prm.Schema)
					}
					refs++
				}
			}
		}
	}
	if refs < 5 {
		t.Errorf("%d product fields and parameters refer to the Product schema, want at least 5", refs)
	}
}

// TestOpenAPIExamplesAreAccepted: the document's example orders, one per
// product from the registry, are orders the API composes.
func TestOpenAPIExamplesAreAccepted(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Examples []map[string]any `json:"examples"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	examples := doc.Components.Schemas["CreateOrder"].Examples
	if len(examples) != len(orders.Products) {
		t.Fatalf("%d examples, want one per product (%d)", len(examples), len(orders.Products))
	}
	e := newEnv(t)
	_, tok := e.person(requesterRoles, "read", "compose")
	for _, ex := range examples {
		ex["account_id"] = e.account
		r := e.call(tok, "POST", "/orders", ex)
		if r.Status != http.StatusCreated {
			t.Errorf("example %v: %d %s", ex["product"], r.Status, r.Body)
			continue
		}
		if o := r.order(t); o.Product != ex["product"] {
			t.Errorf("example %v composed %s", ex["product"], o.Product)
		}
	}
}
