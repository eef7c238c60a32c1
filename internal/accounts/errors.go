package accounts

import (
	"maps"
	"slices"
	"strings"
)

// FieldErrors maps a form field to what is wrong with it, in words a person
// can act on. It never repeats a secret's value, so it is safe to show and
// to log.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(f))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + f[k]
	}
	return "accounts: invalid input: " + strings.Join(parts, "; ")
}

func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// Refusal is something the rules forbid, such as using a disabled account.
// Message is safe to show. errors.Is matches refusals by Code, so callers
// can test for ErrDisabled and the others even when the message says more.
type Refusal struct {
	Code    string
	Message string
}

func (r *Refusal) Error() string { return "accounts: refused: " + r.Message }

// Refused returns Message: it makes a refusal a sending.CredentialsRefusal,
// so a send refused by the account's rules fails at once with this text.
func (r *Refusal) Refused() string { return r.Message }

// Is matches any refusal with the same code.
func (r *Refusal) Is(target error) bool {
	t, ok := target.(*Refusal)
	return ok && t.Code == r.Code
}

// The refusals.
var (
	// ErrDisabled: the account is disabled; nothing is sent with it.
	ErrDisabled = &Refusal{Code: "disabled", Message: "This account is disabled. Enable it before using it."}
	// ErrSandboxOnly: a sandbox account outside sandbox mode. Its keys are
	// made up; Tencent Cloud would only refuse them.
	ErrSandboxOnly = &Refusal{Code: "sandbox_only", Message: "This is a sandbox account: its keys work only with the built-in sandbox, and the console is not in sandbox mode."}
	// ErrNoEnvironmentKeys: an environment-keyed account while the console's
	// environment lacks TENCENTCLOUD_SECRET_ID or TENCENTCLOUD_SECRET_KEY.
	ErrNoEnvironmentKeys = &Refusal{Code: "no_environment_keys", Message: "This account takes its keys from the environment, and TENCENTCLOUD_SECRET_ID or TENCENTCLOUD_SECRET_KEY is not set where the console runs."}
	// ErrSandboxKeys: the sandbox account's keys are the console's own; the
	// sandbox was started with them and knows no others.
	ErrSandboxKeys = &Refusal{Code: "sandbox_keys", Message: "The sandbox account's keys are made by the console, and the built-in sandbox accepts only those. Add another account to try other keys."}
	// ErrCannotOpen: a stored secret does not open with this console's
	// master keys (see Credentials for the message it carries).
	ErrCannotOpen = &Refusal{Code: "cannot_open"}
)
