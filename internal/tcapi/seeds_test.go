package tcapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dealdesk/internal/tcapi"
	"dealdesk/internal/tcapi/tcsim"
)

// The three API documents, copied verbatim into testdata/seeds. Their
// examples are test cases: the bodies below are read from the documents,
// not retyped.

type seedExample struct {
	name     string // "tcb-CreateBillDeal.txt #3"
	action   tcapi.Action
	request  []byte
	response []byte
}

var (
	actionLine   = regexp.MustCompile(`(?m)^X-TC-Action: (\w+)`)
	responseOpen = regexp.MustCompile(`\{\s*"Response"`)
)

func seedExamples(t *testing.T) []seedExample {
	t.Helper()
	files, err := filepath.Glob("testdata/seeds/*.txt")
	if err != nil || len(files) != 3 {
		t.Fatalf("want the three seed documents in testdata/seeds, got %v (%v)", files, err)
	}
	var out []seedExample
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(string(text), "POST / HTTP/1.1")
		for i, part := range parts[1:] {
			m := actionLine.FindStringSubmatch(part)
			if m == nil {
				t.Fatalf("%s example %d: no X-TC-Action line", f, i+1)
			}
			var action tcapi.Action
			for _, a := range tcapi.Actions() {
				if a.Name == m[1] {
					action = a
				}
			}
			start := strings.Index(part, ">\n{")
			if start < 0 {
				t.Fatalf("%s example %d: no body after the common parameters", f, i+1)
			}
			dec := json.NewDecoder(strings.NewReader(part[start+2:]))
			var req json.RawMessage
			if err := dec.Decode(&req); err != nil {
				t.Fatalf("%s example %d: request body: %v", f, i+1, err)
			}
			rest := part[start+2+int(dec.InputOffset()):]
			loc := responseOpen.FindStringIndex(rest)
			if loc == nil {
				t.Fatalf("%s example %d: no response example", f, i+1)
			}
			var resp json.RawMessage
			if err := json.NewDecoder(strings.NewReader(rest[loc[0]:])).Decode(&resp); err != nil {
				t.Fatalf("%s example %d: response: %v", f, i+1, err)
			}
			out = append(out, seedExample{fmt.Sprintf("%s #%d", filepath.Base(f), i+1), action, req, resp})
		}
	}
	return out
}

func TestSeedDocumentsHoldNineExamples(t *testing.T) {
	t.Parallel()
	count := map[string]int{}
	for _, ex := range seedExamples(t) {
		count[ex.action.Name]++
	}
	want := map[string]int{"GenerateDealsAndPayNew": 1, "CreateInstance": 1, "CreateBillDeal": 7}
	if fmt.Sprint(count) != fmt.Sprint(want) {
		t.Fatalf("examples per action = %v, want %v", count, want)
	}
}

// invalidSeeds are the examples that break documented rules, with the first
// field the service reports.
//
// The WAF example is a placeholder ("TimeUnit": "abc", "GoodsNum": 0,
// "SubProductCode": "abc", GoodsCategoryId 0, "CurDeadline": "abc", ...).
// Loosening the rules to let it through would let the same mistakes through
// in real orders, so instead the example is sent exactly as written through
// the raw path: the sandbox must verify the signature (no AuthFailure) and
// then refuse it with InvalidParameterValue naming the field, as the real
// service would. A realistic WAF order (wafOrder) shows the success path.
// Every TCB and the Billing example passes the rules and must succeed.
var invalidSeeds = map[string]string{
	"waf-GenerateDealsAndPayNew.txt #1": "Goods[0].GoodsCategoryId",
}

func TestSeedExamplesThroughClientAndSandbox(t *testing.T) {
	t.Parallel()
	sim := sandbox(t)
	c := client(t, sim.URL)
	ctx := context.Background()
	for _, ex := range seedExamples(t) {
		t.Run(ex.name, func(t *testing.T) {
			req := ex.action.NewRequest()
			if err := tcapi.DecodeParams(ex.request, req); err != nil {
				t.Fatalf("the example does not decode into %T: %v", req, err)
			}
			region := ""
			if ex.action.RegionRequired {
				region = "ap-guangzhou"
				req.(*tcapi.GenerateDealsAndPayNewRequest).Region = region
			}
			field, invalid := invalidSeeds[ex.name]
			verr := req.Validate()

			var res tcapi.Result
			var err error
			if invalid {
				var ve *tcapi.ValidationError
				if !errors.As(verr, &ve) || ve.First().Path != field {
					t.Fatalf("Validate = %v, want a first error on %s", verr, field)
				}
				target := req.Target()
				target.Region = region
				res, err = c.SendRaw(ctx, creds, target, ex.request)
				if res.Outcome != tcapi.Rejected || res.ErrorCode != tcapi.CodeInvalidParameterValue {
					t.Fatalf("outcome %s %s (%v), want rejected InvalidParameterValue", res.Outcome, res.ErrorCode, err)
				}
				mustContain(t, res.ErrorMessage, field)
			} else {
				if verr != nil {
					t.Fatalf("Validate refuses a documented example: %v", verr)
				}
				res, err = c.Send(ctx, creds, req)
				if err != nil || res.Outcome != tcapi.Succeeded {
					t.Fatalf("outcome %s: %v", res.Outcome, err)
				}
			}
			call := lastCall(t, sim)
			if call.RequestID != res.RequestID || call.Action != ex.action.Name || call.Region != region {
				t.Fatalf("the sandbox's last call is %+v, not this one", call)
			}
			if strings.HasPrefix(call.Outcome, "AuthFailure") {
				t.Fatalf("the SDK's signature was refused: %s", call.Outcome)
			}
			if !jsonEqual(t, call.Params, ex.request) || !jsonEqual(t, res.Sent, ex.request) {
				t.Fatalf("body sent differs from the example:\nsent %s\nseed %s", call.Params, ex.request)
			}
			if call.Bought == invalid {
				t.Fatalf("Bought = %v for an example that is invalid=%v", call.Bought, invalid)
			}
		})
	}
}

// The seeds' answer examples decode into the typed responses with no field
// left over, which checks every response field name against the documents.
func TestSeedResponsesMatchTypedResponses(t *testing.T) {
	t.Parallel()
	types := map[string]func() any{
		"GenerateDealsAndPayNew": func() any { return new(tcapi.GenerateDealsAndPayNewResponse) },
		"CreateInstance":         func() any { return new(tcapi.CreateInstanceResponse) },
		"CreateBillDeal":         func() any { return new(tcapi.CreateBillDealResponse) },
	}
	for _, ex := range seedExamples(t) {
		var env struct{ Response json.RawMessage }
		if err := json.Unmarshal(ex.response, &env); err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(env.Response))
		dec.DisallowUnknownFields()
		if err := dec.Decode(types[ex.action.Name]()); err != nil {
			t.Errorf("%s: the documented answer does not fit the typed response: %v", ex.name, err)
		}
	}
}

// The WAF answer example shows Status 0 next to deal names: a client that
// read it as success, or as a plain failure, would be wrong either way.
func TestSeedWAFAnswerNeedsReview(t *testing.T) {
	t.Parallel()
	for _, ex := range seedExamples(t) {
		if ex.action.Name != "GenerateDealsAndPayNew" {
			continue
		}
		sim := sandbox(t)
		if _, err := sim.AddFault(tcsim.Fault{Action: ex.action.Name, Body: string(ex.response)}); err != nil {
			t.Fatal(err)
		}
		res, err := client(t, sim.URL).Send(context.Background(), creds, wafOrder())
		if res.Outcome != tcapi.NeedsReview || !errors.Is(err, tcapi.ErrNeedsReview) {
			t.Fatalf("outcome %s (%v), want needs_review", res.Outcome, err)
		}
	}
}

func TestCatalogHoldsEverySeedErrorCode(t *testing.T) {
	t.Parallel()
	row := regexp.MustCompile(`(?m)^\|? ?([A-Za-z]+(?:\.[A-Za-z_]+)*) \| [^|]+\|\s*$`)
	files, _ := filepath.Glob("testdata/seeds/*.txt")
	found := 0
	for _, f := range files {
		text, _ := os.ReadFile(f)
		_, table, ok := strings.Cut(string(text), "Error Code |")
		if !ok {
			continue // the TCB document lists no business error codes
		}
		for _, m := range row.FindAllStringSubmatch(table, -1) {
			found++
			info, _ := tcapi.LookupError(m[1])
			if !slices.Contains(tcapi.ErrorCodes(), m[1]) || info.English == "" || info.Chinese == "" {
				t.Errorf("%s: code %s is not in the catalog with both languages", filepath.Base(f), m[1])
			}
		}
	}
	if found < 35 {
		t.Fatalf("found only %d codes in the seeds' tables: the parser is broken", found)
	}
}
