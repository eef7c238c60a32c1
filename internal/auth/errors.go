package auth

import "errors"

// ErrLoginFailed is every failed sign-in: unknown username, wrong password,
// disabled account or too many attempts. One error, one message, so the
// answer never tells which usernames exist.
var ErrLoginFailed = errors.New("auth: sign-in refused")

// LoginFailedMessage is the only thing a person is told when sign-in fails.
const LoginFailedMessage = "Wrong username or password, or too many attempts; wait a few minutes."
