package secrets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	k, err := NewKeyring("k1", key(1), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := k.Seal([]byte("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), "account:1:secret_key")
	if err != nil {
		t.Fatal(err)
	}
	if s.KeyID != "k1" || bytes.Contains(s.Ciphertext, []byte("Gu5t9x")) {
		t.Fatalf("sealed value looks wrong: %+v", s)
	}
	pt, err := k.Open(s, "account:1:secret_key")
	if err != nil || string(pt) != "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" {
		t.Fatalf("open: %q %v", pt, err)
	}
	// Two seals of the same secret differ (fresh nonce).
	s2, _ := k.Seal([]byte("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"), "account:1:secret_key")
	if bytes.Equal(s.Ciphertext, s2.Ciphertext) {
		t.Fatal("nonce reused")
	}
}

func TestOpenRefusesTampering(t *testing.T) {
	t.Parallel()
	k, _ := NewKeyring("k1", key(1), nil)
	s, _ := k.Seal([]byte("secret"), "account:1:secret_key")
	flipped := s
	flipped.Ciphertext = append([]byte(nil), s.Ciphertext...)
	flipped.Ciphertext[0] ^= 1
	cases := map[string]struct {
		s   Sealed
		ctx string
	}{
		"flipped bit":       {flipped, "account:1:secret_key"},
		"other row":         {s, "account:2:secret_key"},
		"short nonce":       {Sealed{KeyID: "k1", Nonce: []byte{1}, Ciphertext: s.Ciphertext}, "account:1:secret_key"},
		"wrong key same id": {s, "account:1:secret_key"},
	}
	other, _ := NewKeyring("k1", key(2), nil)
	for name, c := range cases {
		kr := k
		if name == "wrong key same id" {
			kr = other
		}
		if _, err := kr.Open(c.s, c.ctx); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
}

func TestRotation(t *testing.T) {
	t.Parallel()
	old, _ := NewKeyring("k1", key(1), nil)
	s, _ := old.Seal([]byte("secret"), "c")
	rotated, err := NewKeyring("k2", key(2), map[string][]byte{"k1": key(1)})
	if err != nil {
		t.Fatal(err)
	}
	if !rotated.NeedsReseal(s) {
		t.Fatal("a value sealed with k1 needs resealing under k2")
	}
	if pt, err := rotated.Open(s, "c"); err != nil || string(pt) != "secret" {
		t.Fatalf("old key no longer opens: %v", err)
	}
	s2, _ := rotated.Seal([]byte("secret"), "c")
	if s2.KeyID != "k2" || rotated.NeedsReseal(s2) {
		t.Fatalf("new seal uses %q", s2.KeyID)
	}
	if _, err := old.Open(s2, "c"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("a keyring without k2 must say so: %v", err)
	}
}

func TestNewKeyringRefusesBadKeys(t *testing.T) {
	t.Parallel()
	if _, err := NewKeyring("k1", key(1)[:16], nil); err == nil {
		t.Error("16-byte key accepted")
	}
	if _, err := NewKeyring("", key(1), nil); err == nil {
		t.Error("empty key id accepted")
	}
	if _, err := NewKeyring("k1", key(1), map[string][]byte{"k1": key(2)}); err == nil {
		t.Error("duplicate key id accepted")
	}
}

func TestStringNeverPrints(t *testing.T) {
	t.Parallel()
	const v = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	s := NewString(v)
	type holder struct{ Key String }
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("x", "key", s, "holder", holder{s})
	js, _ := json.Marshal(holder{s})
	outputs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", s, holder{s}, holder{s}, s, s),
		string(js), logBuf.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, v) {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if s.Reveal() != v || s.IsZero() || !NewString("").IsZero() {
		t.Fatal("Reveal/IsZero broken")
	}
}
