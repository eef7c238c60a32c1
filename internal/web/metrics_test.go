package web

import (
	"net/http"
	"strings"
	"testing"

	"dealdesk/internal/auth"
	"dealdesk/internal/metrics"
	"dealdesk/internal/orders"
)

const testMetricsToken = "metrics-token-for-tests-0123456789abcdef"

// /metrics answers only to its bearer token, and times requests by route
// pattern, never by the path a client wrote.
func TestMetricsNeedTheirTokenAndNameRoutes(t *testing.T) {
	t.Parallel()
	env := newEnv(t, func(d *Deps) {
		d.Metrics = metrics.New(nil, nil)
		d.MetricsToken = testMetricsToken
	})
	alice, aliceUser := env.loggedIn("alice", auth.RoleRequester)
	o := env.sendable(aliceUser, orders.ProductTCB)
	alice.page(orderPath(o.ID))
	alice.get("/no/such/page/42")

	anon := env.client()
	for _, h := range []string{"", "Bearer wrong", "Basic " + testMetricsToken, "Bearer " + testMetricsToken + "x"} {
		req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/metrics", nil)
		if h != "" {
			req.Header.Set("Authorization", h)
		}
		resp, body := anon.do(req)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "dealdesk_") {
			t.Errorf("Authorization %q: %d", h, resp.StatusCode)
		}
	}
	// A session is not enough either.
	if resp, _ := alice.get("/metrics"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("signed in without the token: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	resp, body := anon.do(req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`dealdesk_http_request_duration_seconds_count{code="200",method="GET",route="/orders/:id"} 1`,
		`dealdesk_http_request_duration_seconds_count{code="404",method="GET",route="/*"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if strings.Contains(body, `route="`+orderPath(o.ID)+`"`) || strings.Contains(body, "/no/such") {
		t.Error("a raw path became a label value")
	}
}

// Without a token configured there is no /metrics at all.
func TestMetricsOffWithoutAToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, Deps{Metrics: metrics.New(nil, nil)})
	c := newClient(t, srv.URL)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer ")
	if resp, _ := c.do(req); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("no token configured: %d, want 404", resp.StatusCode)
	}
}
