package tcapi_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"dealdesk/internal/tcapi"
)

// The fuzz targets below run in CI for a few seconds each (scripts/fuzz.sh)
// and longer with `make fuzz`. Every rules case's body seeds the corpus of
// its action, so the fuzzer starts from every documented edge.

// fuzzParse is the property every product's parser keeps: any body either
// is refused with a *ValidationError, or gives a request that re-encodes
// into a body that parses and validates again to the same request. A
// request the sandbox accepts is therefore one the client could have sent.
func fuzzParse(f *testing.F, action string) {
	a := actionNamed(f, action)
	for _, tc := range ruleCases {
		if tc.action == action {
			region := tc.region
			if region == "-" {
				region = ""
			}
			f.Add(string(tc.body(f)), region)
		}
	}
	f.Fuzz(func(t *testing.T, body, region string) {
		req, err := tcapi.ParseRequest(a, []byte(body), region)
		if err != nil {
			var ve *tcapi.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("refused without field errors: %T %v", err, err)
			}
			for _, fe := range ve.Fields {
				if fe.Code == "" || fe.Message == "" || len(fe.Message) > 4096 {
					t.Fatalf("a field error without code or readable message: %+v", fe)
				}
			}
			return
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("an accepted request does not encode: %v", err)
		}
		req2, err := tcapi.ParseRequest(a, again, region)
		if err != nil {
			t.Fatalf("an accepted request, re-encoded, is refused: %v\nbody %q\nagain %s", err, body, again)
		}
		if again2, _ := json.Marshal(req2); string(again2) != string(again) {
			t.Fatalf("round trip changed the request: %s then %s", again, again2)
		}
		if !utf8.Valid(again) {
			t.Fatalf("an accepted request holds invalid UTF-8: %q", again)
		}
	})
}

func FuzzParseWAF(f *testing.F)     { fuzzParse(f, "GenerateDealsAndPayNew") }
func FuzzParseBilling(f *testing.F) { fuzzParse(f, "CreateInstance") }
func FuzzParseTCB(f *testing.F)     { fuzzParse(f, "CreateBillDeal") }

// FuzzBillingParameter: any Parameter string in an otherwise valid Cloud
// Firewall order is refused with an error on Parameter or one of its
// members, or is an object whose counts are inside their bounds.
func FuzzBillingParameter(f *testing.F) {
	for _, tc := range ruleCases {
		for _, e := range tc.edits {
			if s, ok := e.value.(string); ok && e.path == "Parameter" {
				f.Add(s)
			}
		}
	}
	f.Add(*firewallOrder().Parameter)
	f.Add(`{"pid":1005305,"productCode":"p_yunjing","subProductCode":"sp_yunjing_vas","sv_yunjing_vas_la":"50","timeSpan":1,"timeUnit":"m"}`)
	f.Add(`{"goodsNum":"00000000000000000000001"}`)
	f.Add(`{"goodsNum":1e2}`)
	f.Fuzz(func(t *testing.T, param string) {
		req := firewallOrder()
		req.Parameter = new(param)
		err := req.Validate()
		if err != nil {
			var ve *tcapi.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error of type %T", err)
			}
			for _, fe := range ve.Fields {
				if fe.Path != "Parameter" && !strings.HasPrefix(fe.Path, "Parameter.") {
					t.Fatalf("a Parameter string caused an error on %s: %v", fe.Path, fe)
				}
			}
			return
		}
		if len(param) > tcapi.MaxJSONParamLen || !tcapi.ValidText(param) {
			t.Fatalf("accepted a Parameter that is too long or not text: %q", param)
		}
		dec := json.NewDecoder(strings.NewReader(param))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil || m == nil {
			t.Fatalf("accepted a Parameter that is not an object: %q", param)
		}
		for k, v := range m {
			if k != "goodsNum" && k != "timeSpan" && !strings.HasPrefix(k, "sv_") {
				continue
			}
			var n json.Number
			switch x := v.(type) {
			case json.Number:
				n = x
			case string:
				n = json.Number(x)
			default:
				t.Fatalf("accepted %s of type %T", k, v)
			}
			i, err := n.Int64()
			if err != nil || i < 0 || (k == "goodsNum" && (i < 1 || i > tcapi.MaxQuantity)) || i > tcapi.MaxSpecCount {
				t.Fatalf("accepted %s = %v", k, v)
			}
		}
		// The accepted object, written again, is accepted again.
		again, _ := json.Marshal(m)
		req.Parameter = new(string(again))
		if len(again) <= tcapi.MaxJSONParamLen {
			if err := req.Validate(); err != nil {
				t.Fatalf("accepted %q but not its re-encoding %s: %v", param, again, err)
			}
		}
	})
}

// FuzzTCBExtension: any Extension string in an otherwise valid CloudBase
// order is refused on Extension, or is JSON text of bounded size.
func FuzzTCBExtension(f *testing.F) {
	for _, s := range []string{`{}`, `"{}"`, `{"note":"for the team"}`, `{"a":[1,2,{"b":null}]}`, `{`, `{"note":"\u0001"}`, `[` + strings.Repeat(`[`, 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ext string) {
		req := tcbOrder()
		req.Extension = new(ext)
		err := req.Validate()
		if err != nil {
			var ve *tcapi.ValidationError
			if !errors.As(err, &ve) || ve.First().Path != "Extension" {
				t.Fatalf("an Extension string caused %v", err)
			}
			return
		}
		if len(ext) > tcapi.MaxJSONParamLen || !json.Valid([]byte(ext)) || !tcapi.ValidText(ext) {
			t.Fatalf("accepted Extension %q", ext)
		}
		// What is accepted survives the trip to the wire and back.
		body, _ := json.Marshal(req)
		if _, err := tcapi.ParseRequest(actionNamed(t, "CreateBillDeal"), body, ""); err != nil {
			t.Fatalf("accepted Extension %q is refused on the wire: %v", ext, err)
		}
	})
}
