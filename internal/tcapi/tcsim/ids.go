package tcsim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"

	"dealdesk/internal/tcapi"
)

// newUUID returns a random (version 4) UUID in lower case, the form of the
// service's RequestId. A ClientToken is the same thing in upper case.
func newUUID() string {
	return strings.ToLower(tcapi.NewClientToken())
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
