package tcapi

import (
	"crypto/rand"
	"fmt"
)

// NewClientToken returns a fresh CreateInstance ClientToken: a random
// (version 4) UUID in upper case, like the documentation's example.
//
// Call it once, when the order is composed, and store the token with the
// order: it is what makes a resend safe. The client never makes one up at
// send time, because a token born at send time would differ on every resend
// and each resend would buy again.
func NewClientToken() string {
	var b [16]byte
	// crypto/rand.Read never fails (Go 1.24 and later) and fills b entirely.
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
