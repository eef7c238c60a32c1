package orders

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// Kind says what sort of refusal an Error is, so the web layer can choose a
// status without this package knowing HTTP.
type Kind int

// The kinds of refusal.
const (
	KindInvalid   Kind = iota + 1 // the input breaks a rule (FieldErrors says which)
	KindForbidden                 // this person may not do this to this order
	KindConflict                  // the order moved on since it was read
	KindNotFound                  // no such order (or account)
)

// Error is a refusal whose Message is safe to show a person.
type Error struct {
	Kind    Kind
	Message string
	Err     error // the cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "orders: " + e.Message + ": " + e.Err.Error()
	}
	return "orders: " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// SafeMessage is the text a person may see.
func (e *Error) SafeMessage() string { return e.Message }

// ErrorKind reports the refusal's kind.
func (e *Error) ErrorKind() Kind { return e.Kind }

func forbidden(msg string) error { return &Error{Kind: KindForbidden, Message: msg} }

func notFound(msg string, cause error) error {
	return &Error{Kind: KindNotFound, Message: msg, Err: cause}
}

func stale(cause error) error {
	return &Error{Kind: KindConflict, Err: cause,
		Message: "This order changed while you were looking at it. Reload it to see where it stands now."}
}

// FieldErrors maps a field (a form field name or an API parameter path such
// as "Goods[1].GoodsDetail.TimeUnit") to what is wrong with it, in words a
// person can act on. It is safe to show.
type FieldErrors map[string]string

func (f FieldErrors) Error() string {
	keys := slices.Sorted(maps.Keys(f))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + f[k]
	}
	return "orders: invalid order: " + strings.Join(parts, "; ")
}

// SafeMessage summarises the problems for a page that cannot show them by field.
func (f FieldErrors) SafeMessage() string {
	if len(f) == 1 {
		for k, v := range f {
			return k + ": " + v
		}
	}
	return "Some fields need attention; see the messages next to them."
}

// ErrorKind is always KindInvalid.
func (f FieldErrors) ErrorKind() Kind { return KindInvalid }

func (f FieldErrors) orNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// AsFieldErrors returns the field errors inside err, if any.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var fe FieldErrors
	ok := errors.As(err, &fe)
	return fe, ok
}
