package tcsim

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/tcapi"
)

// tcbPurchase is a signed CreateBillDeal that pays at once: a call that buys.
func tcbPurchase(t *testing.T) signedCall {
	t.Helper()
	c := balanceCall()
	for _, a := range tcapi.Actions() {
		if a.Name == "CreateBillDeal" {
			c.service, c.action, c.version = a.Service, a.Name, a.Version
		}
	}
	if c.action != "CreateBillDeal" {
		t.Fatal("no CreateBillDeal action in the catalog")
	}
	c.body = `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true}`
	return c
}

// serve runs r through h and returns the recorded answer.
func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func lastCall(t *testing.T, s *Sim) Call {
	t.Helper()
	calls := s.Calls()
	if len(calls) == 0 {
		t.Fatal("the sandbox recorded no call")
	}
	return calls[len(calls)-1]
}

// An error or status answered after processing leaves the purchase made:
// the call is recorded as bought and charged, and the balance is down, while
// the client hears only the failure. The same fault without AfterProcessing
// buys nothing.
func TestFaultAfterProcessing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		fault       Fault
		wantStatus  int
		wantCode    string // error code in the envelope, for HTTP 200
		wantOutcome string
		wantBought  bool
	}{
		{"error after processing", Fault{ErrorCode: "InternalError", AfterProcessing: true}, 200, "InternalError", "InternalError", true},
		{"error instead of processing", Fault{ErrorCode: "InternalError"}, 200, "InternalError", "InternalError", false},
		{"502 after processing", Fault{HTTPStatus: 502, AfterProcessing: true}, 502, "", "HTTP 502", true},
		{"502 instead of processing", Fault{HTTPStatus: 502}, 502, "", "HTTP 502", false},
		{"502 with a body after processing", Fault{HTTPStatus: 502, Body: "<html>bad gateway</html>", AfterProcessing: true}, 502, "", "HTTP 502", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sim := newTestSim()
			id, err := sim.AddFault(tt.fault)
			if err != nil {
				t.Fatal(err)
			}
			w := serve(sim.Handler(), tcbPurchase(t).request())
			if w.Code != tt.wantStatus {
				t.Fatalf("HTTP %d, want %d: %s", w.Code, tt.wantStatus, w.Body)
			}
			if tt.wantCode != "" {
				var a answered
				if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.Response.Error == nil || a.Response.Error.Code != tt.wantCode {
					t.Fatalf("answer %s, want the documented envelope with error %s", w.Body, tt.wantCode)
				}
				if a.Response.Error.Message == "" {
					t.Error("the injected error has no message")
				}
			}
			if tt.fault.Body != "" && w.Body.String() != tt.fault.Body {
				t.Errorf("body %q, want the fault's %q", w.Body, tt.fault.Body)
			}
			c := lastCall(t, sim)
			if c.Outcome != tt.wantOutcome || c.Bought != tt.wantBought || c.FaultID != id {
				t.Errorf("recorded Outcome %q Bought %v FaultId %d, want %q %v %d", c.Outcome, c.Bought, c.FaultID, tt.wantOutcome, tt.wantBought, id)
			}
			spent := DefaultBalance - sim.Balance(testID)
			if tt.wantBought && (spent == 0 || spent != c.Charged || len(c.Orders) != 1) {
				t.Errorf("bought: %d spent, %d charged, orders %v; want the purchase made and recorded", spent, c.Charged, c.Orders)
			}
			if !tt.wantBought && (spent != 0 || c.Charged != 0 || len(c.Orders) != 0) {
				t.Errorf("not bought, yet %d spent, %d charged, orders %v", spent, c.Charged, c.Orders)
			}
		})
	}
}

func TestFaultCheck(t *testing.T) {
	t.Parallel()
	valid := []Fault{
		{ErrorCode: "InternalError", AfterProcessing: true},
		{HTTPStatus: 502, AfterProcessing: true},
		{HTTPStatus: 502, Body: "x", AfterProcessing: true, Latency: time.Second},
		{Drop: true, Probability: 0.5},
		{Latency: time.Second, Probability: 1},
		{ErrorCode: "InternalError", Probability: 0},
	}
	for _, f := range valid {
		if err := f.check(); err != nil {
			t.Errorf("%+v refused: %v", f, err)
		}
	}
	invalid := []Fault{
		{AfterProcessing: true},
		{Drop: true, AfterProcessing: true},
		{Latency: time.Second, AfterProcessing: true},
		{Body: "x", AfterProcessing: true},
		{ErrorCode: "InternalError", Probability: -0.1},
		{ErrorCode: "InternalError", Probability: 1.5},
		{ErrorCode: "InternalError", Probability: math.NaN()},
	}
	for _, f := range invalid {
		if err := f.check(); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
}

func TestFaultJSON(t *testing.T) {
	t.Parallel()
	f := Fault{ID: 3, Action: "CreateInstance", Times: 2, Probability: 0.25, Latency: 1500 * time.Millisecond,
		HTTPStatus: 502, AfterProcessing: true}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Probability":0.25`, `"AfterProcessing":true`, `"Latency":"1.5s"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	var back Fault
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip: %+v, want %+v", back, f)
	}
	// Through the admin API, a bad combination is refused.
	h := newTestSim().Handler()
	if code, body := adminDo(t, h, http.MethodPost, "/__sim/faults", `{"Drop":true,"AfterProcessing":true}`); code != http.StatusBadRequest {
		t.Errorf("Drop with AfterProcessing: %d %s", code, body)
	}
	if code, body := adminDo(t, h, http.MethodPost, "/__sim/faults", `{"ErrorCode":"InternalError","Probability":2}`); code != http.StatusBadRequest {
		t.Errorf("Probability 2: %d %s", code, body)
	}
	if code, body := adminDo(t, h, http.MethodPost, "/__sim/faults", `{"HTTPStatus":502,"AfterProcessing":true,"Probability":0.1}`); code != http.StatusCreated {
		t.Errorf("a valid fault: %d %s", code, body)
	}
}

// outcomes sends n balance calls and returns what each was answered.
func outcomes(t *testing.T, sim *Sim, n int) []string {
	t.Helper()
	h := sim.Handler()
	out := make([]string, n)
	for i := range out {
		code, _ := send(t, h, balanceCall().request())
		out[i] = code
	}
	return out
}

func probabilitySim(seed uint64) *Sim {
	return New(Options{Keys: map[string]string{testID: testKey}, RatePerSecond: 1e9, Seed: seed})
}

// Faults with a Probability mix at random: each applies to about its share
// of the calls, a call the draw passes over goes on to the next fault, and
// the same seed draws the same sequence.
func TestFaultProbability(t *testing.T) {
	t.Parallel()
	const n = 2000
	run := func(seed uint64) []string {
		sim := probabilitySim(seed)
		for _, f := range []Fault{
			{ErrorCode: "InternalError", Probability: 0.3},
			{ErrorCode: "ResourceInsufficient", Probability: 0.5}, // half of the remaining 70%
		} {
			if _, err := sim.AddFault(f); err != nil {
				t.Fatal(err)
			}
		}
		return outcomes(t, sim, n)
	}
	got := run(42)
	counts := map[string]int{}
	for _, c := range got {
		counts[c]++
	}
	// Expected 600, 700 and 700; five standard deviations (~20) either side.
	within := func(code string, want int) {
		if d := counts[code] - want; d < -110 || d > 110 {
			t.Errorf("%q answered %d times of %d, want about %d (%v)", code, counts[code], n, want, counts)
		}
	}
	within("InternalError", 600)
	within("ResourceInsufficient", 700)
	within("", 700)
	if again := run(42); !reflect.DeepEqual(again, got) {
		t.Error("the same seed drew a different sequence of faults")
	}
	if other := run(43); reflect.DeepEqual(other, got) {
		t.Error("another seed drew the very same sequence of faults")
	}
}

// A call the draw passes over does not use up one of the fault's Times.
func TestFaultProbabilityKeepsTimes(t *testing.T) {
	t.Parallel()
	sim := probabilitySim(7)
	if _, err := sim.AddFault(Fault{ErrorCode: "InternalError", Probability: 0.2, Times: 3}); err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, c := range outcomes(t, sim, 300) {
		if c == "InternalError" {
			applied++
		}
	}
	if applied != 3 || len(sim.Faults()) != 0 {
		t.Errorf("the fault applied %d times (want 3) and %d faults are left (want 0)", applied, len(sim.Faults()))
	}
}
