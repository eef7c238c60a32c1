// Package fault is the one vocabulary of the domain's refusals: a Kind
// (what sort of refusal, so a caller can choose a status without the
// domain knowing HTTP), a Msg (a message key with its arguments, so pages
// show today's English from Catalog and a later translation needs no
// change to the domain) and Fields (the same, per input field).
//
// A refusal's message is safe to show a person; its cause (Err) is for
// logs only.
package fault

import (
	"errors"
	"strings"
)

// Kind says what sort of refusal an error is.
type Kind int

// The kinds of refusal. The zero Kind is "not a refusal": an error of our
// own or of a dependency, never shown.
const (
	Invalid     Kind = iota + 1 // the input breaks a rule (Fields says which)
	Refused                     // this person may not do this
	Conflict                    // the thing's state forbids it now (disabled, sent, a duplicate)
	Stale                       // it changed since the person read it
	NotFound                    // no such thing
	Unavailable                 // a part this needs is not there or not working
)

var kindNames = map[Kind]string{
	Invalid: "invalid", Refused: "refused", Conflict: "conflict",
	Stale: "stale", NotFound: "not found", Unavailable: "unavailable",
}

func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "not a refusal"
}

// Conflicting reports whether k refuses a move because of where the thing
// stands: Conflict, or Stale (it moved on after the person read it).
// Callers that answer both alike (a 409, the form shown again with the
// reason) ask this.
func (k Kind) Conflicting() bool { return k == Conflict || k == Stale }

// Error is a refusal: its Msg is safe to show, Err (the cause) is not.
type Error struct {
	Kind Kind
	Msg  Msg
	Err  error
}

// New returns a refusal of kind with the message key and its arguments
// (name, value pairs; see M).
func New(kind Kind, key string, args ...string) *Error {
	return &Error{Kind: kind, Msg: M(key, args...)}
}

// Wrap is New with a cause for the logs.
func Wrap(kind Kind, cause error, key string, args ...string) *Error {
	return &Error{Kind: kind, Msg: M(key, args...), Err: cause}
}

func (e *Error) Error() string {
	s := e.Kind.String() + ": " + e.Msg.String()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches a refusal with the same message key, or a key beneath it
// ("account.cannot_open.unknown_key" is an "account.cannot_open"), so a
// package can export a refusal as a sentinel for errors.Is even when the
// one it returns says more.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Msg.Key == "" {
		return false
	}
	return e.Msg.Key == t.Msg.Key || strings.HasPrefix(e.Msg.Key, t.Msg.Key+".")
}

// KindOf reports the kind of the refusal in err's chain: Invalid for
// Fields, the Kind of an *Error, 0 when err holds no refusal.
func KindOf(err error) Kind {
	var fe Fields
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Kind
	case errors.As(err, &fe):
		return Invalid
	}
	return 0
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
