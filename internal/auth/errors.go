package auth

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// ErrLoginFailed is every failed sign-in: unknown username, wrong password,
// disabled account or too many attempts. One error, one message, so the
// answer never tells which usernames exist.
var ErrLoginFailed = errors.New("auth: sign-in refused")

// LoginFailedMessage is the only thing a person is told when sign-in fails.
const LoginFailedMessage = "Wrong username or password, or too many attempts; wait a few minutes."

// FieldErrors maps a form field to what is wrong with it, in words a person
// can act on. It is safe to show.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(f))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + f[k]
	}
	return "auth: invalid input: " + strings.Join(parts, "; ")
}

// orNil returns f as an error when it holds anything, else nil.
func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}
