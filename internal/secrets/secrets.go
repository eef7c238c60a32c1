// Package secrets seals Tencent Cloud credentials at rest with AES-256-GCM
// under a master key from the environment, and keeps secret strings out of
// logs, pages and JSON by accident.
//
// Every sealed value records the id of the key that sealed it, so the master
// key can rotate: a new key seals from then on, old keys stay in the keyring
// only to open what they sealed until it is re-sealed.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
)

// ErrUnknownKey means a sealed value names a key the keyring does not hold.
var ErrUnknownKey = errors.New("secrets: sealed with a key this console does not have")

// ErrOpen means the ciphertext, its nonce or its context was altered, or the
// key is wrong. The cause is deliberately not said.
var ErrOpen = errors.New("secrets: cannot open sealed value")

// Sealed is a ciphertext with what is needed to open it.
type Sealed struct {
	KeyID      string
	Nonce      []byte
	Ciphertext []byte // includes GCM's tag
}

// Keyring holds the current master key and any older ones.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// NewKeyring builds a keyring that seals with currentID. older may be nil.
func NewKeyring(currentID string, current []byte, older map[string][]byte) (*Keyring, error) {
	if currentID == "" {
		return nil, errors.New("secrets: the current key needs an id")
	}
	k := &Keyring{current: currentID, aeads: map[string]cipher.AEAD{}}
	all := map[string][]byte{currentID: current}
	for id, key := range older {
		if id == currentID {
			return nil, fmt.Errorf("secrets: key id %q given twice", id)
		}
		all[id] = key
	}
	for id, key := range all {
		if len(key) != 32 {
			return nil, fmt.Errorf("secrets: key %q must be 32 bytes for AES-256, got %d", id, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("secrets: key %q: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secrets: key %q: %w", id, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// CurrentKeyID names the key new values are sealed with.
func (k *Keyring) CurrentKeyID() string { return k.current }

// Seal encrypts plaintext under the current key. context is authenticated but
// not stored (for example "account:7:secret_key"): a ciphertext copied to
// another row or column will not open there.
func (k *Keyring) Seal(plaintext []byte, context string) (Sealed, error) {
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Sealed{}, fmt.Errorf("secrets: nonce: %w", err)
	}
	return Sealed{
		KeyID:      k.current,
		Nonce:      nonce,
		Ciphertext: aead.Seal(nil, nonce, plaintext, []byte(context)),
	}, nil
}

// Open decrypts a sealed value that was sealed with the same context.
func (k *Keyring) Open(s Sealed, context string) ([]byte, error) {
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, s.KeyID)
	}
	if len(s.Nonce) != aead.NonceSize() {
		return nil, ErrOpen
	}
	pt, err := aead.Open(nil, s.Nonce, s.Ciphertext, []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// NeedsReseal says whether s was sealed with a key other than the current
// one, so a rotation job can re-seal it.
func (k *Keyring) NeedsReseal(s Sealed) bool { return s.KeyID != k.current }

// String is a secret text that does not print itself. fmt, slog and
// encoding/json all see a mask; Reveal gives the value to the one place that
// must use it (the request signer).
type String struct{ v string }

// NewString wraps a secret.
func NewString(v string) String { return String{v: v} }

// Reveal returns the secret itself.
func (s String) Reveal() string { return s.v }

// IsZero reports whether no secret is held.
func (s String) IsZero() bool { return s.v == "" }

const mask = "[redacted]"

func (s String) String() string { return mask }

// GoString keeps %#v from printing the field.
func (s String) GoString() string { return "secrets.String(" + mask + ")" }

// LogValue keeps slog from printing the value.
func (s String) LogValue() slog.Value { return slog.StringValue(mask) }

// MarshalJSON keeps the secret out of JSON (audit details, API answers).
func (s String) MarshalJSON() ([]byte, error) { return []byte(`"` + mask + `"`), nil }

// MarshalText covers encoders that use encoding.TextMarshaler.
func (s String) MarshalText() ([]byte, error) { return []byte(mask), nil }
