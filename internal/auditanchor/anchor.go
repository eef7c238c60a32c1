// Package auditanchor signs the head of the audit chain so it can be kept
// outside the database, and checks such anchors later.
//
// The audit chain (migration 008) shows that no entry was changed in place,
// but whoever owns the database can rebuild every hash from a change
// onwards. An anchor is the chain's head (place and hash) at one moment,
// signed with an Ed25519 key the database never sees, and delivered to the
// log and, optionally, a file. A rebuilt chain no longer has the anchored
// hash at the anchored place, and the owner cannot sign a new anchor.
//
// An anchor is one line of JSON (see Anchor); the signature covers
// Message(). No echo, no SQL.
package auditanchor

import (
	"bufio"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Type marks an anchor line, so anchors can be picked out of a log.
const Type = "dealdesk.audit_anchor.v1"

// Anchor is one signed head of the audit chain.
type Anchor struct {
	Type     string    `json:"type"`
	ChainSeq int64     `json:"chain_seq"`
	Hash     string    `json:"hash"`
	SignedAt time.Time `json:"signed_at"`
	// KeyID names the public key: the first 16 hex digits of its sha256.
	KeyID string `json:"key_id"`
	// Signature is base64 Ed25519 over Message().
	Signature string `json:"sig"`
}

// Message is the exact bytes signed: the type, place, hash and time, one a
// line, so no field can run into another.
func (a Anchor) Message() []byte {
	return []byte(Type + "\n" + strconv.FormatInt(a.ChainSeq, 10) + "\n" + a.Hash + "\n" + a.SignedAt.UTC().Format(time.RFC3339Nano) + "\n")
}

// Line is the anchor as one line of JSON, without the newline.
func (a Anchor) Line() string {
	b, err := json.Marshal(a)
	if err != nil {
		// Only strings, an int and a time: Marshal cannot fail.
		panic("auditanchor: " + err.Error())
	}
	return string(b)
}

// KeyID names a public key.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Signer signs heads with one private key.
type Signer struct {
	key ed25519.PrivateKey
}

// NewSigner takes a 32-byte Ed25519 seed.
func NewSigner(seed []byte) (*Signer, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("auditanchor: the key must be a %d-byte Ed25519 seed, got %d bytes", ed25519.SeedSize, len(seed))
	}
	return &Signer{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// Public is the key that verifies this signer's anchors.
func (s *Signer) Public() ed25519.PublicKey {
	pub, _ := s.key.Public().(ed25519.PublicKey)
	return pub
}

// Sign anchors the chain's head at seq with hash, signed at the time given.
func (s *Signer) Sign(seq int64, hash string, at time.Time) Anchor {
	a := Anchor{Type: Type, ChainSeq: seq, Hash: hash, SignedAt: at.UTC(), KeyID: KeyID(s.Public())}
	a.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(s.key, a.Message()))
	return a
}

// Verify checks an anchor's signature with pub.
func Verify(pub ed25519.PublicKey, a Anchor) error {
	if a.Type != Type {
		return fmt.Errorf("auditanchor: not an anchor (type %q)", a.Type)
	}
	if a.KeyID != KeyID(pub) {
		return fmt.Errorf("auditanchor: signed with key %s, not with %s", a.KeyID, KeyID(pub))
	}
	sig, err := base64.StdEncoding.DecodeString(a.Signature)
	if err != nil || !ed25519.Verify(pub, a.Message(), sig) {
		return errors.New("auditanchor: the signature does not verify: the anchor was altered or forged")
	}
	return nil
}

// Located is an anchor and where it was read.
type Located struct {
	Anchor
	// Line is the line number in the input, from 1.
	Line int
}

// Parse reads anchors from a file of anchor lines, or from a JSON log
// (CONSOLE_LOG_FORMAT=json) whose "audit anchor" lines carry one as the
// string attribute "anchor". Other lines are skipped; a line that claims to
// be an anchor but does not parse is an error, never skipped.
func Parse(r io.Reader) ([]Located, error) {
	var out []Located
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if !strings.Contains(line, Type) {
			continue
		}
		var logLine struct {
			Anchor string `json:"anchor"`
		}
		if err := json.Unmarshal([]byte(line), &logLine); err == nil && logLine.Anchor != "" {
			line = logLine.Anchor
		}
		var a Anchor
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil || a.Type != Type {
			return nil, fmt.Errorf("auditanchor: line %d looks like an anchor but does not parse", n)
		}
		out = append(out, Located{Anchor: a, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("auditanchor: read: %w", err)
	}
	return out, nil
}

// ParsePublicKey reads a base64 Ed25519 public key (32 bytes).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("auditanchor: a public key is %d bytes of base64", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
