package orders

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"dealdesk/internal/tcapi"
)

// Canonical returns the one byte form of a JSON parameter document: keys
// sorted, no insignificant white space, numbers kept exactly as written, and
// <, >, &, U+2028 and U+2029 inside strings escaped as \u003c and so on. An
// order stores these bytes, approvers approve their hash, and the sender
// sends these very bytes — so "what was approved is what is sent" is a byte
// comparison, not a belief.
//
// The escaping is the official SDK's: it encodes every body with
// encoding/json's HTML escaping, which no setting turns off. Canonical bytes
// already in that form pass through it unchanged, so the bytes on the wire
// hash to the approved hash (tcapi checks it before each purchase call).
func Canonical(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("orders: parameters are not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("orders: parameters hold more than one JSON value")
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, errors.New("orders: parameters must be a JSON object")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	// encoding/json writes map keys in sorted order, which is what makes the
	// form canonical.
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("orders: encode parameters: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Hash is the hex sha256 of canonical parameter bytes.
func Hash(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// RoundTrips reports whether canon is exactly what its typed request encodes
// to. The sender sends canon itself, so this is not needed for safety; it
// keeps an order from carrying bytes whose meaning differs from how they
// read ("Source":null, which the service takes as absent; -0, which it
// takes as 0), so approvers judge what the service will do.
func RoundTrips(req tcapi.Request, canon []byte) bool {
	b, err := json.Marshal(req)
	if err != nil {
		return false
	}
	again, err := Canonical(b)
	return err == nil && bytes.Equal(again, canon)
}
