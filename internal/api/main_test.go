package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"

	"dealdesk/internal/api"
	"dealdesk/internal/auth"
	"dealdesk/internal/db/dbtest"
	"dealdesk/internal/history"
	"dealdesk/internal/jobs"
	"dealdesk/internal/orders"
	"dealdesk/internal/orders/orderstest"
	"dealdesk/internal/ratelimit"
	"dealdesk/internal/sending"
)

// TestMain fails the package's tests if any goroutine they started is still
// running when they end.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The OpenAPI document, loaded once; every response any test gets is
// validated against it (validate), so the document cannot drift.
var (
	docOnce   sync.Once
	docRouter routers.Router
	docErr    error
)

func openAPIRouter(t *testing.T) routers.Router {
	t.Helper()
	docOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("application/jsonl", openapi3filter.PlainBodyDecoder)
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
		loader := openapi3.NewLoader()
		var doc *openapi3.T
		if doc, docErr = loader.LoadFromData(api.OpenAPIDocument); docErr != nil {
			return
		}
		if docErr = doc.Validate(loader.Context); docErr != nil {
			return
		}
		// Route by path alone: the test server's host is not the document's.
		doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
		docRouter, docErr = legacy.NewRouter(doc)
	})
	if docErr != nil {
		t.Fatalf("openapi.json: %v", docErr)
	}
	return docRouter
}

type env struct {
	t      *testing.T
	pool   *pgxpool.Pool
	auth   *auth.Service
	orders *orders.Service
	srv    *httptest.Server
	// account is an enabled account orders may use.
	account int64
}

type envOption func(*api.Deps, *pgxpool.Pool)

func withLimit(perSecond float64, burst int) envOption {
	return func(d *api.Deps, pool *pgxpool.Pool) { d.Limit = ratelimit.NewAllowance(pool, perSecond, burst) }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	pool := dbtest.New(t)
	authSvc, err := auth.NewService(pool, auth.Config{
		SessionKey: []byte("test-session-key-of-32-bytes-ok!"), IdleTimeout: time.Hour, MaxAge: time.Hour,
		Hash: auth.HashParams{Memory: 8 * 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Wired as serve wires them: approvals and "Send now" queue River jobs
	// in their transactions (the queue is not started: nothing is sent).
	base := orders.NewService(pool)
	sender := sending.New(pool, base, nil, nil, sending.Config{Replica: "api-test"}, nil)
	queue, err := jobs.New(pool, jobs.Config{Sender: sender})
	if err != nil {
		t.Fatal(err)
	}
	deps := api.Deps{
		Log: slog.New(slog.DiscardHandler), Auth: authSvc, Orders: base.WithHooks(orders.Hooks{Send: queue}),
		Sender: sender, History: history.NewService(pool),
		OnServerError: func(status int, err error) { t.Errorf("server error %d: %v", status, err) },
	}
	for _, o := range opts {
		o(&deps, pool)
	}
	srv := httptest.NewServer(api.New(deps))
	t.Cleanup(srv.Close)
	return &env{t: t, pool: pool, auth: authSvc, orders: deps.Orders, srv: srv, account: orderstest.NewAccount(t, pool)}
}

var seq atomic.Int64

func next() string { return strconv.FormatInt(seq.Add(1), 10) }

// user makes a person with roles.
func (e *env) user(roles ...auth.Role) auth.User {
	e.t.Helper()
	u, _, err := e.auth.CreateUser(context.Background(), auth.SystemActor("test"), auth.NewUser{
		Username: "user" + next(), Roles: roles,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// token makes a personal token of u with scopes and returns its secret.
func (e *env) token(u auth.User, scopes ...string) string {
	e.t.Helper()
	it, err := e.auth.CreatePersonalToken(context.Background(), auth.Actor{UserID: u.ID}, auth.NewToken{
		Name: "token " + next(), Scopes: scopes, Days: 30,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return it.Secret
}

// person makes a user with roles and a token with scopes in one go.
func (e *env) person(roles []auth.Role, scopes ...string) (auth.User, string) {
	e.t.Helper()
	u := e.user(roles...)
	return u, e.token(u, scopes...)
}

// resp is an answer, already checked against the OpenAPI document.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r resp) problem(t *testing.T) api.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want problem+json: %s", ct, r.Body)
	}
	var p api.Problem
	r.decode(t, &p)
	if p.Status != r.Status || p.Type == "" || p.Title == "" || p.Detail == "" || p.Kind == "" {
		t.Fatalf("incomplete problem (status %d): %s", r.Status, r.Body)
	}
	return p
}

func (r resp) order(t *testing.T) api.Order {
	t.Helper()
	var o api.Order
	r.decode(t, &o)
	return o
}

// call sends one request with token (none when "") and validates the
// answer against the OpenAPI document.
func (e *env) call(token, method, path string, body any, headers ...string) resp {
	e.t.Helper()
	var rd io.Reader
	var raw []byte
	if body != nil {
		switch b := body.(type) {
		case string:
			raw = []byte(b)
		default:
			var err error
			if raw, err = json.Marshal(b); err != nil {
				e.t.Fatal(err)
			}
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+api.Prefix+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := resp{Status: res.StatusCode, Header: res.Header, Body: got}
	e.validate(method, path, raw, r)
	return r
}

// validate checks one answer against the document: its status is
// declared for the operation, and its headers and body match the schema.
func (e *env) validate(method, path string, reqBody []byte, r resp) {
	e.t.Helper()
	router := openAPIRouter(e.t)
	vreq, _ := http.NewRequest(method, "/api/v1"+path, bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if r.Status == http.StatusNotFound {
			return // a path the API does not have: nothing to validate against
		}
		e.t.Errorf("%s %s: not in openapi.json: %v", method, path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: r.Status, Header: r.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		e.t.Errorf("%s %s → %d does not match openapi.json: %v\n%s", method, path, r.Status, err, r.Body)
	}
}
