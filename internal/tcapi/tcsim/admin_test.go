package tcsim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func adminDo(t *testing.T, h http.Handler, method, path, body string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
	return w.Code, w.Body.String()
}

func TestAdminAPI(t *testing.T) {
	t.Parallel()
	sim := newTestSim()
	h := sim.Handler()

	if code, body := adminDo(t, h, http.MethodGet, "/__sim/calls", ""); code != 200 || strings.TrimSpace(body) != "[]" {
		t.Fatalf("empty call log: %d %s", code, body)
	}
	code, body := adminDo(t, h, http.MethodPost, "/__sim/faults", `{"Action":"DescribeAccountBalance","Times":1,"ErrorCode":"InternalError","Latency":"1ms"}`)
	if code != http.StatusCreated || !strings.Contains(body, `"Id":1`) || !strings.Contains(body, `"Latency":"1ms"`) {
		t.Fatalf("add fault: %d %s", code, body)
	}
	for _, bad := range []string{`{}`, `{"Drop":true,"ErrorCode":"X"}`, `{"HTTPStatus":42}`, `{"Latency":"soon"}`, `{"Colour":"red"}`} {
		if code, body := adminDo(t, h, http.MethodPost, "/__sim/faults", bad); code != http.StatusBadRequest {
			t.Errorf("fault %s accepted: %d %s", bad, code, body)
		}
	}

	// The fault answers once, then the call goes through.
	if code, _ := send(t, h, balanceCall().request()); code != "InternalError" {
		t.Fatalf("first call answered %q, want the injected InternalError", code)
	}
	if code, _ := send(t, h, balanceCall().request()); code != "" {
		t.Fatalf("second call answered %q: the fault was for one call", code)
	}

	code, body = adminDo(t, h, http.MethodGet, "/__sim/calls", "")
	var calls []Call
	if err := json.Unmarshal([]byte(body), &calls); code != 200 || err != nil || len(calls) != 2 {
		t.Fatalf("calls: %d %s", code, body)
	}
	if calls[0].Outcome != "InternalError" || calls[1].Outcome != "Success" || calls[0].SecretID != testID || calls[0].Action != "DescribeAccountBalance" {
		t.Fatalf("calls: %+v", calls)
	}
	if strings.Contains(body, testKey) {
		t.Fatal("the call log holds the SecretKey")
	}

	if code, body := adminDo(t, h, http.MethodPost, "/__sim/balance", `{"SecretId":"`+testID+`","Balance":7}`); code != 200 {
		t.Fatalf("set balance: %d %s", code, body)
	}
	if code, body := adminDo(t, h, http.MethodGet, "/__sim/balance?SecretId="+testID, ""); code != 200 || !strings.Contains(body, `"Balance":7`) {
		t.Fatalf("balance: %d %s", code, body)
	}

	adminDo(t, h, http.MethodPost, "/__sim/faults", `{"Drop":true}`)
	if code, body := adminDo(t, h, http.MethodDelete, "/__sim/faults", ""); code != 200 || len(sim.Faults()) != 0 {
		t.Fatalf("clear faults: %d %s", code, body)
	}
	if code, _ := adminDo(t, h, http.MethodPost, "/__sim/reset", ""); code != 200 || len(sim.Calls()) != 0 || sim.Balance(testID) != DefaultBalance {
		t.Fatal("reset left state behind")
	}
	if code, _ := adminDo(t, h, http.MethodGet, "/__sim/nothing", ""); code != http.StatusNotFound {
		t.Fatalf("unknown admin path answered %d", code)
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	sim := newTestSim()
	if _, err := sim.AddFault(Fault{Action: "CreateInstance", ErrorCode: "ResourcesSoldOut"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.AddFault(Fault{SecretID: "AKIDother", ErrorCode: "UnauthorizedOperation"}); err != nil {
		t.Fatal(err)
	}
	// Neither fault matches a balance call signed with testID.
	if code, _ := send(t, sim.Handler(), balanceCall().request()); code != "" {
		t.Fatalf("answered %q", code)
	}
	if len(sim.Faults()) != 2 {
		t.Fatal("faults without Times must stay until cleared")
	}
}

func TestBodyDecodingTrapsTheClientCannotSend(t *testing.T) {
	t.Parallel()
	// The client's raw path re-encodes bodies through a map, so these are
	// sent by hand: the sandbox must refuse them as the service does.
	h := newTestSim().Handler()
	for body, want := range map[string]string{
		`{"Goods":[],"Goods":[]}`: "InvalidParameter",
		`[1]`:                     "InvalidParameter",
		`{"Goods":[]} trailing`:   "InvalidParameter",
		`not json`:                "InvalidParameter",
	} {
		c := balanceCall()
		c.service, c.action, c.version, c.region, c.body = "waf", "GenerateDealsAndPayNew", "2018-01-25", "ap-guangzhou", body
		if code, msg := send(t, h, c.request()); code != want {
			t.Errorf("%s: answered %q (%s), want %s", body, code, msg, want)
		}
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	c := balanceCall()
	c.body = `{"X":"` + strings.Repeat("a", maxBody) + `"}`
	if code, _ := send(t, newTestSim().Handler(), c.request()); code != "RequestSizeLimitExceeded" {
		t.Fatalf("answered %q", code)
	}
}

func TestStartServesUntilTheContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := Start(ctx, "127.0.0.1:0", Options{Keys: map[string]string{testID: testKey}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "/__sim/calls")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// A call held by injected latency must not hold up shutdown.
	if _, err := srv.AddFault(Fault{Latency: time.Hour}); err != nil {
		t.Fatal(err)
	}
	c := balanceCall()
	c.host = srv.Addr
	r := c.request()
	r.RequestURI = ""
	r.URL.Host = srv.Addr
	go func() {
		if resp, err := http.DefaultClient.Do(r); err == nil {
			resp.Body.Close()
		}
	}()
	// The call reaching the sandbox, within a bound: a call that never
	// arrives fails the test here instead of hanging it until go test's
	// timeout.
	for deadline := time.Now().Add(10 * time.Second); len(srv.Calls()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the call never reached the sandbox within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if _, err := http.Post(srv.URL+"/", "application/json", bytes.NewReader(nil)); err == nil {
		t.Fatal("still serving after the context ended")
	}
}
