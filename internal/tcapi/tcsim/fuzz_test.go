package tcsim

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"dealdesk/internal/tcapi"
)

// FuzzParseAuthorization: any header either parses into a complete
// authorization or is refused; it never panics.
func FuzzParseAuthorization(f *testing.F) {
	for _, v := range vectors {
		f.Add("TC3-HMAC-SHA256 Credential=" + vectorSecretID + "/2019-02-25/cvm/tc3_request, SignedHeaders=" + v.signedHeaders + ", Signature=" + v.signature)
	}
	f.Add("")
	f.Add("TC3-HMAC-SHA256 ")
	f.Add("TC3-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=, Signature=")
	f.Add("TC3-HMAC-SHA256 ,,,===")
	f.Add("TC3-HMAC-SHA256 Credential=AKIDsecretvalue/2019-02-25/cvm/tc3_request, Credential=x, Signature=")
	f.Add("TC3-HMAC-SHA256 Credential=AKID\x00/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;host, Signature=" + strings.Repeat("a", 64))
	f.Add("TC3-HMAC-SHA256 Credential=AKID/2019-02-30/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("A", 64))
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil {
			// The error describes the header's shape and never repeats it:
			// a SecretId in a log line is half a credential. An id that is
			// a piece of a fixed message ("_request", the fuzzer's first
			// find) is no repetition: swapped for Zs, it gives the same error.
			if id := secretIDIn(h); len(id) >= 8 && strings.Contains(err.Error(), id) {
				_, err2 := parseAuthorization(strings.Replace(h, "Credential="+id, "Credential="+strings.Repeat("Z", len(id)), 1))
				if err2 == nil || err2.Error() != err.Error() {
					t.Fatalf("the error %q repeats the SecretId", err)
				}
			}
			return
		}
		if a.SecretID == "" || a.Service == "" || len(a.Signature) != 64 || len(a.SignedHeaders) < 2 {
			t.Fatalf("accepted an incomplete header %q as %+v", h, a)
		}
		if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
			t.Fatalf("accepted a bad date %q", a.Date)
		}
		if strings.ContainsFunc(a.SecretID+a.Service+strings.Join(a.SignedHeaders, ""), func(r rune) bool { return r <= ' ' || r > '~' }) {
			t.Fatalf("accepted a part that is not printable ASCII: %+v", a)
		}
		// What was accepted, written again the way the SDK writes it, reads
		// back the same: the parser keeps everything the signature covers.
		again := algorithm + " Credential=" + a.SecretID + "/" + a.Date + "/" + a.Service + "/tc3_request, SignedHeaders=" +
			strings.Join(a.SignedHeaders, ";") + ", Signature=" + a.Signature
		b, err := parseAuthorization(again)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("accepted %q as %+v, but its rewriting %q reads %+v (%v)", h, a, again, b, err)
		}
	})
}

// secretIDIn finds what a header offers as its SecretId, if anything.
func secretIDIn(h string) string {
	_, after, ok := strings.Cut(h, "Credential=")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(after, "/")
	id, _, _ = strings.Cut(id, ",")
	return id
}

// FuzzDecodeParams: any body, for any action, decodes or is refused with a
// field error; it never panics. What decodes re-encodes and decodes again
// to the same parameters, so nothing the sandbox accepts is lost on the way.
func FuzzDecodeParams(f *testing.F) {
	f.Add(0, `{"Goods":[{"GoodsNum":1,"GoodsDetail":{"TimeSpan":1,"TimeUnit":"m"}}]}`)
	f.Add(1, `{"ClientToken":"T","ProductCode":"p","SubProductCode":"s","RegionCode":"r","ZoneCode":"z","PayMode":"PrePay","Parameter":"{}"}`)
	f.Add(2, `{"StartTime":"2025-01-01 00:00:00","EndTime":"2025-01-02 00:00:00","Limit":10}`)
	f.Add(3, `{}`)
	f.Add(4, `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","EnvTags":[{"Key":"k","Value":"v"}]}`)
	f.Add(4, `{"dealtype":"purchase","DealType":1}`)
	f.Add(0, `{"Goods":[{"GoodsNum":1e400}]}`)
	f.Add(0, `[`)
	actions := tcapi.Actions()
	f.Fuzz(func(t *testing.T, which int, body string) {
		a := actions[uint(which)%uint(len(actions))]
		req, err := tcapi.ParseRequest(a, []byte(body), "ap-guangzhou")
		if err != nil {
			if _, ok := errors.AsType[*tcapi.ValidationError](err); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if req == nil {
				return
			}
		}
		again, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("decoded parameters do not encode: %v", err)
		}
		req2 := a.NewRequest()
		if err := tcapi.DecodeParams(again, req2); err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", again, err)
		}
		if again2, _ := json.Marshal(req2); string(again2) != string(again) {
			t.Fatalf("round trip changed the parameters: %s then %s", again, again2)
		}
	})
}

// FuzzHandler sends any body, correctly signed, for any action through the
// whole handler: the answer is always HTTP 200 and the documented envelope.
func FuzzHandler(f *testing.F) {
	f.Add(1, `{"ClientToken":"T","ProductCode":"p","SubProductCode":"s","RegionCode":"r","ZoneCode":"z","PayMode":"PrePay","Parameter":"{}"}`, "")
	f.Add(0, `{"Goods":[{"GoodsNum":1,"GoodsDetail":{"SubProductCode":"sp_wsm_waf_premium","TimeUnit":"m"}}]}`, "ap-guangzhou")
	f.Add(4, `{"DealType":"purchase","ProductType":"tcb-baas","PackageId":"baas_personal","CreateAndPay":true}`, "")
	f.Add(2, `{"StartTime":"2025-01-01 00:00:00","EndTime":"2035-01-02 00:00:00","Limit":1000,"Offset":9223372036854775807}`, "")
	f.Add(3, `{"X":`, "")
	actions := tcapi.Actions()
	f.Fuzz(func(t *testing.T, which int, body, region string) {
		// A fresh sandbox per input keeps inputs independent and memory flat.
		h := New(Options{Keys: map[string]string{testID: testKey}}).Handler()
		a := actions[uint(which)%uint(len(actions))]
		c := balanceCall()
		c.service, c.action, c.version, c.body = a.Service, a.Name, a.Version, body
		if strings.ContainsAny(region, "\r\n\x00") {
			region = ""
		}
		c.region = region
		w := httptest.NewRecorder()
		h.ServeHTTP(w, c.request())
		if w.Code != http.StatusOK {
			t.Fatalf("HTTP %d", w.Code)
		}
		var env answered
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env.Response.RequestId == "" {
			t.Fatalf("not the documented envelope: %s", w.Body)
		}
		if e := env.Response.Error; e != nil && strings.HasPrefix(e.Code, "AuthFailure") {
			t.Fatalf("a correctly signed call was refused: %s %s", e.Code, e.Message)
		}
	})
}
