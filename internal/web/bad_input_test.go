package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/orders"
)

// The bad-input matrix: every form POST and every filter GET, each text
// field attacked in turn. Whatever is sent, the console answers with a 4xx
// and a message, or (for payloads that are only odd text) a normal answer
// with the payload escaped; it never answers 500, never saves half of a
// refused request, and never echoes markup unescaped. New routes are added
// to inputRoutes.

// inputRoute is one route the matrix walks: who sends what to where. valid
// is called before every attack, so a route that needs an order gets a
// fresh one and an attack that succeeds cannot spoil the next.
type inputRoute struct {
	method string
	path   func(fx *matrixFixture) string
	as     func(fx *matrixFixture) *client
	valid  func(fx *matrixFixture) url.Values
	// numbers are the fields that must be whole numbers or ids.
	numbers []string
	// multi are the fields that may repeat (checkboxes).
	multi []string
	// skip are the fields not attacked (those the route reads as a
	// redirect target or ignores).
	skip []string
}

// matrixFixture holds what the routes need: people and their clients, an
// account, a policy.
type matrixFixture struct {
	env                        *testEnv
	requester                  auth.User
	anon, req, approver, admin *client
	account                    string
	policy                     string
	other                      auth.User
	orders                     int // orders drafted so far, to name their accounts
}

func newMatrixFixture(t *testing.T, serverErrors *atomic.Int64) *matrixFixture {
	env := newEnv(t, func(d *Deps) {
		d.OnServerError = func(status int, err error) {
			serverErrors.Add(1)
			t.Errorf("the error handler answered %d: %v", status, err)
		}
	})
	fx := &matrixFixture{env: env, anon: env.client()}
	fx.req, fx.requester = env.loggedIn("req", auth.RoleRequester)
	fx.approver, _ = env.loggedIn("appr", auth.RoleApprover)
	fx.admin, _ = env.loggedIn("adm", auth.RoleAdmin, auth.RoleAuditor)
	fx.other, _ = env.user("other", auth.RoleRequester)
	fx.account = env.newAccount("Matrix account")
	var policy int64
	if err := env.pool.QueryRow(context.Background(),
		`INSERT INTO approval_policies (product, required_approvers, auto_send) VALUES ('waf', 1, true) RETURNING id`).Scan(&policy); err != nil {
		t.Fatal(err)
	}
	fx.policy = itoa(policy)
	return fx
}

// draft composes a CloudBase draft of the requester's; submitted puts it
// before approvers.
func (fx *matrixFixture) draft(submitted bool) orders.Order {
	t := fx.env.t
	t.Helper()
	ctx := context.Background()
	a := orders.Actor{UserID: fx.requester.ID, Roles: roleNames(fx.requester.Roles)}
	svc := orders.NewService(fx.env.pool)
	// An account of its own: the duplicate guard would otherwise refuse
	// the next order like an unknown or succeeded one.
	fx.orders++
	acct, _ := strconv.ParseInt(fx.env.newAccount("Order account "+strconv.Itoa(fx.orders)), 10, 64)
	o, err := svc.Compose(ctx, a, orders.Draft{Product: orders.ProductTCB, AccountID: acct,
		Title: "CloudBase for the team", Justification: "The team needs it", Params: []byte(testTCBParams)})
	if err != nil {
		t.Fatal(err)
	}
	if submitted {
		if o, err = svc.Submit(ctx, a, o.ID, o.Version); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

func fixed(p string) func(*matrixFixture) string { return func(*matrixFixture) string { return p } }

// orderRoute is a POST on a fresh order of the requester's, in the status
// the action expects.
func orderRoute(action string, status orders.Status, as func(*matrixFixture) *client,
	form func(o orders.Order) url.Values, numbers ...string) inputRoute {
	var o orders.Order
	return inputRoute{
		method: http.MethodPost,
		path:   func(*matrixFixture) string { return "/orders/" + itoa(o.ID) + "/" + action },
		as:     as,
		valid: func(fx *matrixFixture) url.Values {
			o = fx.draft(status != orders.StatusDraft)
			if status != orders.StatusDraft && status != orders.StatusPendingApproval {
				fx.env.setStatus(o.ID, status)
			}
			return form(o)
		},
		numbers: numbers,
	}
}

func asAnon(fx *matrixFixture) *client     { return fx.anon }
func asReq(fx *matrixFixture) *client      { return fx.req }
func asApprover(fx *matrixFixture) *client { return fx.approver }
func asAdmin(fx *matrixFixture) *client    { return fx.admin }

func inputRoutes() map[string]inputRoute {
	decision := func(o orders.Order) url.Values {
		return url.Values{"version": {strconv.Itoa(o.Version)}, "params_sha256": {o.ParamsSHA256}, "comment": {"Looks right."}}
	}
	policyForm := func(fx *matrixFixture) url.Values {
		return url.Values{"product": {"tcb"}, "account": {fx.account}, "required_approvers": {"2"}, "auto_send": {"on"},
			"webhook_url": {"https://hooks.example.com/x"}, "webhook_format": {"generic"}}
	}
	ordersFilter := func(*matrixFixture) url.Values {
		return url.Values{"q": {"CloudBase"}, "requester": {"req"}, "approver": {"appr"}, "product": {"tcb"},
			"status": {"draft"}, "from": {"2025-01-01"}, "to": {"2030-01-01"}, "sort": {"newest"}}
	}
	auditFilterForm := func(*matrixFixture) url.Values {
		return url.Values{"actor": {"adm"}, "action": {"order."}, "subject": {"order:1"}, "from": {"2025-01-01"}, "to": {"2030-01-01"}}
	}
	var users atomic.Int64
	return map[string]inputRoute{
		"login": {method: http.MethodPost, path: fixed("/login"), as: asAnon,
			valid: func(*matrixFixture) url.Values {
				return url.Values{"username": {"nobody"}, "password": {"not the password at all"}, "next": {"/orders"}}
			}, skip: []string{"next"}},
		"password": {method: http.MethodPost, path: fixed("/account/password"), as: asReq,
			valid: func(*matrixFixture) url.Values {
				return url.Values{"current": {"wrong current password"}, "new": {"a brand new long password"}, "confirm": {"a brand new long password"}}
			}},
		"order waf": {method: http.MethodPost, path: fixed("/orders/new/waf"), as: asReq,
			valid:   func(fx *matrixFixture) url.Values { return wafValues(fx.account) },
			numbers: []string{"account", "g0-GoodsNum", "g0-TimeSpan"}},
		"order billing": {method: http.MethodPost, path: fixed("/orders/new/billing"), as: asReq,
			valid:   func(fx *matrixFixture) url.Values { return billingRawValues(fx.account) },
			numbers: []string{"account"}},
		"order tcb": {method: http.MethodPost, path: fixed("/orders/new/tcb"), as: asReq,
			valid:   func(fx *matrixFixture) url.Values { return tcbValues(fx.account) },
			numbers: []string{"account", "TimeSpan"}},
		"order edit": orderRoute("edit", orders.StatusDraft, asReq, func(o orders.Order) url.Values {
			return form(tcbValues(itoa(o.AccountID)), "version", strconv.Itoa(o.Version))
		}, "version", "account", "TimeSpan"),
		"submit": orderRoute("submit", orders.StatusDraft, asReq, func(o orders.Order) url.Values {
			return url.Values{"version": {strconv.Itoa(o.Version)}}
		}, "version"),
		"cancel":  orderRoute("cancel", orders.StatusPendingApproval, asReq, func(orders.Order) url.Values { return url.Values{"reason": {"Not needed."}} }),
		"approve": orderRoute("approve", orders.StatusPendingApproval, asApprover, decision, "version"),
		"reject":  orderRoute("reject", orders.StatusPendingApproval, asApprover, decision, "version"),
		"send":    orderRoute("send", orders.StatusApproved, asApprover, confirmedSend, "version"),
		"settle": orderRoute("settle", orders.StatusUnknown, asApprover, func(orders.Order) url.Values {
			return url.Values{"result": {"failed"}, "deal_names": {"20250101000000001"}, "note": {"Checked the console."}}
		}),
		"renew": orderRoute("renew", orders.StatusSucceeded, asReq, func(orders.Order) url.Values {
			return url.Values{renewFieldID(orders.RenewalAsk{Line: -1, Param: "ResourceId"}): {"tcb-resource-1"}}
		}),
		"user create": {method: http.MethodPost, path: fixed("/admin/users"), as: asAdmin,
			valid: func(fx *matrixFixture) url.Values {
				return url.Values{"username": {"new" + itoa(users.Add(1))}, "display_name": {"New Person"},
					"email": {"new@example.com"}, "roles": {"requester", "approver"}}
			}, multi: []string{"roles"}},
		"user update": {method: http.MethodPost, path: func(fx *matrixFixture) string { return userPath(fx.other.ID) }, as: asAdmin,
			valid: func(*matrixFixture) url.Values {
				return url.Values{"display_name": {"Other Person"}, "email": {"other@example.com"}, "roles": {"requester"}}
			}, multi: []string{"roles"}},
		"session end": {method: http.MethodPost, path: func(fx *matrixFixture) string { return userPath(fx.other.ID) + "/sessions/end" },
			as: asAdmin, valid: func(*matrixFixture) url.Values { return url.Values{"session": {"0123456789abcdef"}} }},
		"account create": {method: http.MethodPost, path: fixed("/admin/accounts"), as: asAdmin,
			valid: func(*matrixFixture) url.Values {
				return url.Values{"name": {"Team account"}, "key_source": {"stored"}, "secret_id": {"AKIDmatrixTESTkey000000000000000001"},
					"secret_key": {"MatrixTestSecretKey00000000000001"}, "token": {""}}
			}},
		"account keys": {method: http.MethodPost, path: func(fx *matrixFixture) string { return "/admin/accounts/" + fx.account + "/keys" },
			as: asAdmin, valid: func(*matrixFixture) url.Values {
				return url.Values{"secret_id": {"AKIDmatrixTESTkey000000000000000002"}, "secret_key": {"MatrixTestSecretKey00000000000002"}}
			}},
		// auto_send is a checkbox: only its presence is read.
		"policy create": {method: http.MethodPost, path: fixed("/admin/policies"), as: asAdmin, valid: policyForm,
			numbers: []string{"account", "required_approvers"}, skip: []string{"auto_send"}},
		"policy update": {method: http.MethodPost, path: func(fx *matrixFixture) string { return "/admin/policies/" + fx.policy },
			as: asAdmin, valid: policyForm, numbers: []string{"account", "required_approvers"}, skip: []string{"auto_send"}},

		"orders filter": {method: http.MethodGet, path: fixed("/orders"), as: asReq, valid: ordersFilter,
			numbers: []string{"account"}},
		"orders export": {method: http.MethodGet, path: fixed("/orders/export.csv"), as: asReq, valid: ordersFilter,
			numbers: []string{"account"}},
		"audit filter": {method: http.MethodGet, path: fixed("/audit"), as: asAdmin, valid: auditFilterForm},
		"audit export": {method: http.MethodGet, path: fixed("/audit/export.csv"), as: asAdmin, valid: auditFilterForm},
	}
}

// attack is one bad input: how it changes the valid form's field, and
// whether the console must refuse it (refuse) or may take it as text.
type attack struct {
	name   string
	apply  func(vals url.Values, field string)
	refuse bool
}

const scriptPayload = `<script>alert("dd")</script>`

func set(v string) func(url.Values, string) {
	return func(vals url.Values, f string) { vals.Set(f, v) }
}

var textAttacks = []attack{
	{"empty", set(""), false},
	{"too long (100 kB)", set(strings.Repeat("x", 100_000)), true},
	{"too long (1 MB)", set(strings.Repeat("y", 1<<20)), true},
	{"invalid UTF-8", set("ab\xff\xfe" + scriptPayload), true},
	{"NUL", set("ab\x00cd" + scriptPayload), true},
	{"control character", set("ab\x01cd" + scriptPayload), true},
	{"escape sequence", set("\x1b[31mred" + scriptPayload), true},
	{"HTML", set(scriptPayload + `<img src=x onerror=alert(1)>`), false},
	{"SQL", set(`x'); DROP TABLE orders; --`), false},
	{"duplicated", func(vals url.Values, f string) {
		v := vals.Get(f)
		vals[f] = []string{v, v + "2"}
	}, true},
}

var numberAttacks = []attack{
	{"not a number", set("abc"), true},
	{"negative", set("-1"), true},
	{"out of range", set("99999999999999999999999"), true},
	{"fraction", set("1.5"), true},
}

// counts are the rows a refused request must not add.
func (fx *matrixFixture) counts() string {
	fx.env.t.Helper()
	var out []string
	for _, table := range []string{"orders", "order_versions", "approvals", "audit_events", "users",
		"tencentcloud_accounts", "approval_policies", "send_attempts"} {
		var n int
		if err := fx.env.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			fx.env.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

func (c *client) send(method, path string, vals url.Values) (*http.Response, string) {
	c.t.Helper()
	if method == http.MethodGet {
		return c.get(path + "?" + vals.Encode())
	}
	return c.post(path, vals)
}

func TestBadInputMatrix(t *testing.T) {
	t.Parallel()
	var serverErrors atomic.Int64
	fx := newMatrixFixture(t, &serverErrors)
	for name, r := range inputRoutes() {
		if r.method == "" {
			continue
		}
		fields := r.valid(fx)
		for field := range fields {
			if contains(r.skip, field) {
				continue
			}
			attacks := textAttacks
			if contains(r.numbers, field) {
				attacks = append(append([]attack(nil), textAttacks...), numberAttacks...)
			}
			for _, a := range attacks {
				if a.name == "duplicated" && (contains(r.multi, field) || r.method == http.MethodGet) {
					// Checkboxes repeat; a filter reads its first value.
					continue
				}
				if a.name == "empty" && r.method == http.MethodGet {
					continue
				}
				t.Run(name+"/"+field+"/"+a.name, func(t *testing.T) {
					fx.env.t = t
					vals := r.valid(fx)
					path, c := r.path(fx), r.as(fx)
					c.t = t
					a.apply(vals, field)
					before := fx.counts()
					resp, body := c.send(r.method, path, vals)
					if resp.StatusCode >= 500 {
						t.Fatalf("status %d\n%s", resp.StatusCode, pageErrors(body))
					}
					// A page must escape it; an export (text/csv, JSON
					// Lines, with nosniff) is data, not markup.
					html := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
					if html && (strings.Contains(body, scriptPayload) || strings.Contains(body, "<img src=x")) {
						t.Errorf("the payload is echoed unescaped (status %d)", resp.StatusCode)
					}
					if resp.StatusCode == http.StatusSeeOther && r.method == http.MethodPost {
						// Taken: what was stored is shown escaped where
						// the redirect leads.
						next, page := c.get(location(resp))
						if next.StatusCode >= 500 || strings.Contains(page, scriptPayload) || strings.Contains(page, "<img src=x") {
							t.Errorf("after the redirect to %s: status %d or the payload unescaped", location(resp), next.StatusCode)
						}
					}
					refused := resp.StatusCode >= 400
					if a.refuse && !refused {
						t.Errorf("status %d: want a refusal", resp.StatusCode)
					}
					if refused {
						// Past the body or header limit the answer is
						// echo's or net/http's own, before any handler.
						limit := resp.StatusCode == http.StatusRequestEntityTooLarge || resp.StatusCode == http.StatusRequestHeaderFieldsTooLarge
						if !limit && !saysWhy(body) {
							t.Errorf("status %d without a message\n%s", resp.StatusCode, body)
						}
						if got := fx.counts(); a.refuse && got != before {
							t.Errorf("refused with %d but rows changed:\nbefore %s\nafter  %s", resp.StatusCode, before, got)
						}
					}
				})
			}
		}
	}
	fx.env.t = t
	if n := serverErrors.Load(); n != 0 {
		t.Errorf("the error handler answered 5xx %d times", n)
	}
}

// saysWhy reports whether a refusal's page carries a message: a field's
// error, a form error, a list of problems or the error page's message.
func saysWhy(body string) bool {
	for _, mark := range []string{`data-testid="error-`, `data-testid="form-error"`, `role="alert"`} {
		if strings.Contains(body, mark) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
