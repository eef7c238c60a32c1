package accounts

import "dealdesk/internal/fault"

// The refusals: what the rules forbid, such as using a disabled account.
// Each is a fault.Error of kind Conflict (the account's state forbids it)
// whose message is safe to show; errors.Is matches them by message key, so
// callers can test for ErrDisabled and the others, and ErrCannotOpen
// matches both of the refusals openRefusal returns.
var (
	// ErrDisabled: the account is disabled; nothing is sent with it.
	ErrDisabled = fault.New(fault.Conflict, "account.disabled")
	// ErrSandboxOnly: a sandbox account outside sandbox mode. Its keys are
	// made up; Tencent Cloud would only refuse them.
	ErrSandboxOnly = fault.New(fault.Conflict, "account.sandbox_only")
	// ErrNoEnvironmentKeys: an environment-keyed account while the console's
	// environment lacks TENCENTCLOUD_SECRET_ID or TENCENTCLOUD_SECRET_KEY.
	ErrNoEnvironmentKeys = fault.New(fault.Conflict, "account.no_environment_keys")
	// ErrSandboxKeys: the sandbox account's keys are the console's own; the
	// sandbox was started with them and knows no others.
	ErrSandboxKeys = fault.New(fault.Conflict, "account.sandbox_keys")
	// ErrCannotOpen: a stored secret does not open with this console's
	// master keys (openRefusal says which way).
	ErrCannotOpen = fault.New(fault.Conflict, "account.cannot_open")
)
