package tcapi

import (
	"log/slog"
)

// Credentials sign calls. SecretKey and Token are secrets: Credentials
// prints, formats and logs as its masked SecretId only, so a stray %v or
// slog attribute cannot leak them.
type Credentials struct {
	SecretID  string
	SecretKey string
	// Token is the X-TC-Token of temporary (STS) credentials; empty for
	// permanent keys.
	Token string
}

// MaskSecretID keeps the first four and last four characters of a SecretId,
// enough to tell keys apart in logs and screens.
func MaskSecretID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}

// String implements fmt.Stringer without the secrets.
func (c Credentials) String() string {
	return "Credentials{SecretID: " + MaskSecretID(c.SecretID) + "}"
}

// GoString implements fmt.GoStringer (%#v) without the secrets.
func (c Credentials) GoString() string { return c.String() }

// LogValue implements slog.LogValuer without the secrets.
func (c Credentials) LogValue() slog.Value {
	return slog.StringValue(MaskSecretID(c.SecretID))
}
