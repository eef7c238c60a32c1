package orders

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// Canonical returns the one byte form of a JSON parameter document: keys
// sorted, no insignificant white space, numbers kept exactly as written, no
// HTML escaping. An order stores these bytes, approvers approve their hash,
// and the sender sends these very bytes — so "what was approved is what is
// sent" is a byte comparison, not a belief.
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
	enc.SetEscapeHTML(false)
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
