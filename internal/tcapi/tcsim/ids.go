package tcsim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// newUUID returns a random (version 4) UUID in lower case, the form of the
// service's RequestId. A ClientToken is the same thing in upper case.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// maskSecretID keeps a SecretId's first four and last four characters for
// the log, as the console masks it.
func maskSecretID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}

// randomID returns n random lower-case letters and digits, for instance ids.
func randomID(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// instancePrefix names instances the way their product does.
func instancePrefix(productCode string) string {
	switch productCode {
	case "p_cloudfirewall":
		return "cfw-"
	case "p_yunjing":
		return "yunjing-"
	}
	return strings.TrimPrefix(productCode, "p_") + "-"
}

// uin derives a stable 12-digit account number from a SecretId, so each
// sandbox key looks like its own account.
func uin(secretID string) string {
	h := sha256.Sum256([]byte(secretID))
	return strconv.FormatUint(100000000000+binary.BigEndian.Uint64(h[:8])%900000000000, 10)
}
