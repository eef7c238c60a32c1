package tcsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// algorithm is the only signing method the sandbox verifies.
const algorithm = "TC3-HMAC-SHA256"

// unsignedPayload is the X-TC-Content-SHA256 value that leaves the body out
// of the signature, as the service allows.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// authorization is a parsed TC3 Authorization header:
//
//	TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=HEX
type authorization struct {
	SecretID      string
	Date          string // UTC date of the timestamp, 2006-01-02
	Service       string
	SignedHeaders []string
	Signature     string
}

// parseAuthorization reads the header strictly: anything it does not
// recognise is AuthFailure.InvalidAuthorization. The error text describes the
// header's shape only and never repeats it.
func parseAuthorization(h string) (authorization, error) {
	var a authorization
	alg, rest, ok := strings.Cut(h, " ")
	if h == "" {
		return a, errors.New("the Authorization header is missing")
	}
	if !ok || alg != algorithm {
		return a, errors.New("the Authorization header must start with " + algorithm + " (the only method the sandbox verifies)")
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, errors.New("the Authorization header must hold Credential=..., SignedHeaders=... and Signature=... separated by commas")
		}
		if seen[k] {
			return a, fmt.Errorf("the Authorization header gives %s twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "Credential":
			err = a.parseCredential(v)
		case "SignedHeaders":
			err = a.parseSignedHeaders(v)
		case "Signature":
			if len(v) != sha256.Size*2 || strings.Trim(v, "0123456789abcdef") != "" {
				err = errors.New("the Signature must be 64 lower-case hexadecimal digits")
			}
			a.Signature = v
		default:
			err = errors.New("the Authorization header has an unknown part")
		}
		if err != nil {
			return authorization{}, err
		}
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if !seen[k] {
			return authorization{}, fmt.Errorf("the Authorization header lacks %s", k)
		}
	}
	return a, nil
}

func (a *authorization) parseCredential(v string) error {
	parts := strings.Split(v, "/")
	if len(parts) != 4 || parts[3] != "tc3_request" {
		return errors.New("the Credential must read SECRETID/DATE/SERVICE/tc3_request")
	}
	id, date, service := parts[0], parts[1], parts[2]
	if id == "" || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return errors.New("the Credential's SecretId is empty or not printable ASCII")
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return errors.New("the Credential's date must be written 2006-01-02")
	}
	if service == "" || strings.Trim(service, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return errors.New("the Credential's service must be a lower-case service name such as cvm")
	}
	a.SecretID, a.Date, a.Service = id, date, service
	return nil
}

// parseSignedHeaders keeps the client's order: the signature was computed
// over the headers in that order, and the service honours the list as sent.
func (a *authorization) parseSignedHeaders(v string) error {
	names := strings.Split(v, ";")
	for _, n := range names {
		if n == "" || strings.Trim(n, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return errors.New("SignedHeaders must list lower-case header names separated by ;")
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		return errors.New("SignedHeaders names a header twice")
	}
	if !slices.Contains(names, "content-type") || !slices.Contains(names, "host") {
		return errors.New("SignedHeaders must include content-type and host")
	}
	a.SignedHeaders = names
	return nil
}

// canonicalRequest builds TC3's canonical request: the method, the URI
// (always /), the query, each signed header as "name:value\n" with name and
// value lower-cased and trimmed, the signed header list, and the hash of the
// raw body bytes.
func canonicalRequest(r *http.Request, signed []string, body []byte) string {
	var headers strings.Builder
	for _, name := range signed {
		v := strings.Join(r.Header.Values(name), ",")
		if name == "host" {
			// net/http moves Host out of the header map.
			v = r.Host
		}
		headers.WriteString(name + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	payloadHash := sha256Hex(body)
	if r.Header.Get("X-TC-Content-SHA256") == unsignedPayload {
		payloadHash = sha256Hex([]byte(unsignedPayload))
	}
	return strings.Join([]string{
		r.Method,
		"/",
		r.URL.RawQuery,
		headers.String(),
		strings.Join(signed, ";"),
		payloadHash,
	}, "\n")
}

// signature computes the TC3 signature of a canonical request.
func signature(secretKey, timestamp, date, service, canonical string) string {
	scope := date + "/" + service + "/tc3_request"
	toSign := algorithm + "\n" + timestamp + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	k = hmacSHA256(k, "tc3_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

// verifySignature recomputes a's signature over r and body with secretKey.
func verifySignature(r *http.Request, body []byte, a authorization, secretKey string) bool {
	want := signature(secretKey, r.Header.Get("X-TC-Timestamp"), a.Date, a.Service, canonicalRequest(r, a.SignedHeaders, body))
	return hmac.Equal([]byte(want), []byte(a.Signature))
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
