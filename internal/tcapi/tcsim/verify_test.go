package tcsim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The signature test vectors of tencentcloud-api.md §2. The body's \u
// escapes are literal characters, hence the raw string.
const (
	vectorBody      = `{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`
	vectorBodyHash  = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	vectorTimestamp = "1551113065"
	vectorSecretID  = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
)

type vector struct {
	name          string
	secretKey     string
	contentType   string
	signedHeaders string
	signature     string
}

var vectors = []vector{
	{"A official English docs", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "application/json; charset=utf-8", "content-type;host",
		"72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"},
	{"A2 as the Go SDK sends it", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "application/json", "content-type;host",
		"683bd0b53659853c39699162253251192320a09b3937e27bf8e08a559b1465b8"},
	{"B current Chinese docs", strings.Repeat("*", 32), "application/json; charset=utf-8", "content-type;host;x-tc-action",
		"10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"},
}

func vectorRequest(v vector, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://cvm.tencentcloudapi.com/", strings.NewReader(body))
	r.Header.Set("Content-Type", v.contentType)
	r.Header.Set("X-TC-Action", "DescribeInstances")
	r.Header.Set("X-TC-Timestamp", vectorTimestamp)
	r.Header.Set("Authorization", "TC3-HMAC-SHA256 Credential="+vectorSecretID+"/2019-02-25/cvm/tc3_request, SignedHeaders="+v.signedHeaders+", Signature="+v.signature)
	return r
}

func TestVerifierAcceptsTheDocumentedVectors(t *testing.T) {
	t.Parallel()
	if got := sha256Hex([]byte(vectorBody)); got != vectorBodyHash {
		t.Fatalf("body hash = %s, want %s", got, vectorBodyHash)
	}
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			r := vectorRequest(v, vectorBody)
			a, err := parseAuthorization(r.Header.Get("Authorization"))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if a.SecretID != vectorSecretID || a.Date != "2019-02-25" || a.Service != "cvm" {
				t.Fatalf("parsed %+v", a)
			}
			if !verifySignature(r, []byte(vectorBody), a, v.secretKey) {
				t.Fatal("the documented signature does not verify")
			}
			// The same request with one byte of the body changed, or
			// another key, must not verify: the check is real.
			tampered := strings.Replace(vectorBody, `"Limit": 1`, `"Limit": 2`, 1)
			if verifySignature(vectorRequest(v, tampered), []byte(tampered), a, v.secretKey) {
				t.Fatal("a tampered body verifies")
			}
			if verifySignature(r, []byte(vectorBody), a, v.secretKey+"x") {
				t.Fatal("a wrong key verifies")
			}
		})
	}
}

func TestCanonicalRequestOfVectorA(t *testing.T) {
	t.Parallel()
	v := vectors[0]
	r := vectorRequest(v, vectorBody)
	got := sha256Hex([]byte(canonicalRequest(r, []string{"content-type", "host"}, []byte(vectorBody))))
	if want := "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"; got != want {
		t.Fatalf("canonical request hash = %s, want %s", got, want)
	}
}

func TestParseAuthorizationRejectsMalformedHeaders(t *testing.T) {
	t.Parallel()
	const sig = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	const good = "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + sig
	if _, err := parseAuthorization(good); err != nil {
		t.Fatalf("good header refused: %v", err)
	}
	bad := map[string]string{
		"empty":                   "",
		"other algorithm":         strings.Replace(good, "TC3-HMAC-SHA256", "HMAC-SHA256", 1),
		"no space":                "TC3-HMAC-SHA256",
		"part without =":          "TC3-HMAC-SHA256 Credential, SignedHeaders=content-type;host, Signature=" + sig,
		"missing Signature":       "TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host",
		"duplicate part":          good + ", Signature=" + sig,
		"unknown part":            good + ", Extra=1",
		"credential too short":    strings.Replace(good, "AKID/2019-02-25/cvm/tc3_request", "AKID/2019-02-25/cvm", 1),
		"credential terminator":   strings.Replace(good, "tc3_request", "tc2_request", 1),
		"empty SecretId":          strings.Replace(good, "AKID/", "/", 1),
		"bad date":                strings.Replace(good, "2019-02-25", "2019-2-25", 1),
		"upper-case service":      strings.Replace(good, "/cvm/", "/CVM/", 1),
		"empty service":           strings.Replace(good, "/cvm/", "//", 1),
		"host not signed":         strings.Replace(good, "content-type;host", "content-type", 1),
		"content-type not signed": strings.Replace(good, "content-type;host", "host;x-tc-action", 1),
		"header twice":            strings.Replace(good, "content-type;host", "content-type;host;host", 1),
		"empty header name":       strings.Replace(good, "content-type;host", "content-type;;host", 1),
		"upper-case header name":  strings.Replace(good, "content-type;host", "Content-Type;host", 1),
		"short signature":         strings.Replace(good, sig, sig[:63], 1),
		"upper-case signature":    strings.Replace(good, sig, strings.ToUpper(sig), 1),
	}
	for name, h := range bad {
		if a, err := parseAuthorization(h); err == nil {
			t.Errorf("%s: accepted %q as %+v", name, h, a)
		} else if h != "" && strings.Contains(err.Error(), sig) {
			t.Errorf("%s: the error repeats the header: %v", name, err)
		}
	}
}
