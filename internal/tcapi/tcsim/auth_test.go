package tcsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	testID    = "AKIDsandboxtest0001"
	testKey   = "sandbox-secret-key-0001"
	tokenID   = "AKIDtemporary0002"
	tokenKey2 = "sandbox-secret-key-0002"
	testToken = "sts-token-0002"
)

// signedCall describes one hand-made API call, signed the way the SDK signs
// unless a test changes something.
type signedCall struct {
	secretID, secretKey      string
	service, action, version string
	region, token, language  string
	body                     string
	at                       time.Time
	signed                   []string
	host                     string
	// after changes the request after it was signed.
	after func(*http.Request)
}

func balanceCall() signedCall {
	return signedCall{
		secretID: testID, secretKey: testKey,
		service: "billing", action: "DescribeAccountBalance", version: "2018-07-09",
		body: "{}", at: time.Now(), signed: []string{"content-type", "host"}, host: "127.0.0.1:9100",
	}
}

func (c signedCall) request() *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://"+c.host+"/", strings.NewReader(c.body))
	r.Host = c.host
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-TC-Action", c.action)
	r.Header.Set("X-TC-Version", c.version)
	ts := strconv.FormatInt(c.at.Unix(), 10)
	r.Header.Set("X-TC-Timestamp", ts)
	if c.region != "" {
		r.Header.Set("X-TC-Region", c.region)
	}
	if c.token != "" {
		r.Header.Set("X-TC-Token", c.token)
	}
	if c.language != "" {
		r.Header.Set("X-TC-Language", c.language)
	}
	date := c.at.UTC().Format(time.DateOnly)
	sig := signature(c.secretKey, ts, date, c.service, canonicalRequest(r, c.signed, []byte(c.body)))
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+c.secretID+"/"+date+"/"+c.service+"/tc3_request, SignedHeaders="+strings.Join(c.signed, ";")+", Signature="+sig)
	if c.after != nil {
		c.after(r)
	}
	return r
}

type answered struct {
	Response struct {
		Error *struct {
			Code    string
			Message string
		}
		RequestId string
	}
}

// send runs r through the handler and returns the error code answered ("" for success).
func send(t *testing.T, h http.Handler, r *http.Request) (code, message string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("HTTP %d, want 200: the service answers every call with 200", w.Code)
	}
	var a answered
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer is not the documented envelope: %v: %s", err, w.Body)
	}
	if a.Response.RequestId == "" {
		t.Fatalf("answer without RequestId: %s", w.Body)
	}
	if a.Response.Error == nil {
		return "", ""
	}
	return a.Response.Error.Code, a.Response.Error.Message
}

func newTestSim() *Sim {
	return New(Options{
		Keys:   map[string]string{testID: testKey, tokenID: tokenKey2},
		Tokens: map[string]string{tokenID: testToken},
	})
}

func TestAuthenticationAnswers(t *testing.T) {
	t.Parallel()
	sim := newTestSim()
	h := sim.Handler()
	tests := []struct {
		name   string
		change func(*signedCall)
		want   string
	}{
		{"well signed", func(c *signedCall) {}, ""},
		{"signature over content-type, host and x-tc-action", func(c *signedCall) {
			c.signed = []string{"content-type", "host", "x-tc-action"}
		}, ""},
		{"4 minutes old", func(c *signedCall) { c.at = time.Now().Add(-4 * time.Minute) }, ""},
		{"temporary key with its token", func(c *signedCall) { c.secretID, c.secretKey, c.token = tokenID, tokenKey2, testToken }, ""},

		{"no Authorization", func(c *signedCall) { c.after = func(r *http.Request) { r.Header.Del("Authorization") } }, "AuthFailure.InvalidAuthorization"},
		{"malformed Authorization", func(c *signedCall) {
			c.after = func(r *http.Request) { r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential=nonsense") }
		}, "AuthFailure.InvalidAuthorization"},
		{"wrong SecretKey", func(c *signedCall) { c.secretKey = "not-the-key" }, "AuthFailure.SignatureFailure"},
		{"body changed after signing", func(c *signedCall) {
			c.after = func(r *http.Request) { r.Body = http.NoBody; r.ContentLength = 0 }
		}, "AuthFailure.SignatureFailure"},
		{"host changed after signing", func(c *signedCall) { c.after = func(r *http.Request) { r.Host = "127.0.0.1:9101" } }, "AuthFailure.SignatureFailure"},
		{"signed action header changed", func(c *signedCall) {
			c.signed = []string{"content-type", "host", "x-tc-action"}
			c.after = func(r *http.Request) { r.Header.Set("X-TC-Action", "DescribeDealsByCond") }
		}, "AuthFailure.SignatureFailure"},
		{"scope names another service", func(c *signedCall) { c.service = "cvm" }, "AuthFailure.SignatureFailure"},
		{"scope date is not the timestamp's", func(c *signedCall) {
			c.after = func(r *http.Request) {
				r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), c.at.UTC().Format(time.DateOnly), "2019-02-25", 1))
			}
		}, "AuthFailure.SignatureFailure"},
		{"6 minutes old", func(c *signedCall) { c.at = time.Now().Add(-6 * time.Minute) }, "AuthFailure.SignatureExpire"},
		{"6 minutes ahead", func(c *signedCall) { c.at = time.Now().Add(6 * time.Minute) }, "AuthFailure.SignatureExpire"},
		{"unknown SecretId", func(c *signedCall) { c.secretID = "AKIDnobodyknows" }, "AuthFailure.SecretIdNotFound"},
		{"temporary key without its token", func(c *signedCall) { c.secretID, c.secretKey = tokenID, tokenKey2 }, "AuthFailure.TokenFailure"},
		{"temporary key with a wrong token", func(c *signedCall) { c.secretID, c.secretKey, c.token = tokenID, tokenKey2, "stale" }, "AuthFailure.TokenFailure"},
		{"token for a permanent key", func(c *signedCall) { c.token = testToken }, "AuthFailure.TokenFailure"},

		{"no timestamp", func(c *signedCall) { c.after = func(r *http.Request) { r.Header.Del("X-TC-Timestamp") } }, "MissingParameter"},
		{"no action", func(c *signedCall) { c.action = "" }, "MissingParameter"},
		{"unknown action", func(c *signedCall) { c.action = "BuyEverything" }, "InvalidAction"},
		{"wrong version", func(c *signedCall) { c.version = "2017-03-12" }, "NoSuchVersion"},
		{"no version", func(c *signedCall) { c.version = "" }, "NoSuchVersion"},
		{"unsupported language", func(c *signedCall) { c.language = "fr-FR" }, "InvalidParameterValue"},
		{"GET", func(c *signedCall) { c.after = func(r *http.Request) { r.Method = http.MethodGet } }, "UnsupportedProtocol"},
		{"form content type", func(c *signedCall) {
			c.after = func(r *http.Request) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }
		}, "InvalidRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := balanceCall()
			tt.change(&c)
			code, msg := send(t, h, c.request())
			if code != tt.want {
				t.Fatalf("answered %q (%s), want %q", code, msg, tt.want)
			}
		})
	}
}

func TestUnsignedPayloadIsHonoured(t *testing.T) {
	t.Parallel()
	h := newTestSim().Handler()
	c := balanceCall()
	r := c.request()
	// Re-sign with the body left out of the signature, as the service allows.
	r.Header.Set("X-TC-Content-SHA256", unsignedPayload)
	ts := r.Header.Get("X-TC-Timestamp")
	date := c.at.UTC().Format(time.DateOnly)
	sig := signature(c.secretKey, ts, date, c.service, canonicalRequest(r, c.signed, []byte("ignored")))
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+c.secretID+"/"+date+"/billing/tc3_request, SignedHeaders=content-type;host, Signature="+sig)
	if code, msg := send(t, h, r); code != "" {
		t.Fatalf("answered %s (%s)", code, msg)
	}
}

func TestSandboxClockDecidesExpiry(t *testing.T) {
	t.Parallel()
	// A sandbox whose clock runs ten minutes ahead refuses a call signed now.
	sim := New(Options{Keys: map[string]string{testID: testKey}, Now: func() time.Time { return time.Now().Add(10 * time.Minute) }})
	if code, _ := send(t, sim.Handler(), balanceCall().request()); code != "AuthFailure.SignatureExpire" {
		t.Fatalf("answered %q, want AuthFailure.SignatureExpire", code)
	}
}

func TestErrorsNeverRepeatSecrets(t *testing.T) {
	t.Parallel()
	sim := newTestSim()
	h := sim.Handler()
	var sigs []string
	for _, change := range []func(*signedCall){
		func(c *signedCall) { c.secretKey = "wrong" },
		func(c *signedCall) { c.secretID, c.secretKey, c.token = tokenID, tokenKey2, "stale-token" },
		func(c *signedCall) {
			c.after = func(r *http.Request) { r.Header.Set("Authorization", r.Header.Get("Authorization")+", Extra=1") }
		},
	} {
		c := balanceCall()
		change(&c)
		r := c.request()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		_, sig, _ := strings.Cut(r.Header.Get("Authorization"), "Signature=")
		sig, _, _ = strings.Cut(sig, ",")
		sigs = append(sigs, sig)
		for _, secret := range []string{testKey, tokenKey2, testToken, "stale-token", sig} {
			if strings.Contains(body, secret) {
				t.Errorf("answer repeats a secret: %s", body)
			}
		}
	}
	calls, _ := json.Marshal(sim.Calls())
	for _, secret := range append([]string{testKey, tokenKey2, testToken, "stale-token"}, sigs...) {
		if strings.Contains(string(calls), secret) {
			t.Errorf("the call log holds %q: %s", secret, calls)
		}
	}
}
