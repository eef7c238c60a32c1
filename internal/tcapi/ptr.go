package tcapi

// The pointer helpers are Go 1.26's new(expr) by another name: new code
// writes new(x). They stay while branches in flight call them; the
// modernize pass after those merge can inline the rest and drop them.

// String returns a pointer to s, for setting optional request fields.
func String(s string) *string { return new(s) }

// Int64 returns a pointer to n, for setting optional request fields.
func Int64(n int64) *int64 { return new(n) }

// Bool returns a pointer to b, for setting optional request fields.
func Bool(b bool) *bool { return new(b) }

// Deref returns *p, or the zero value when p is nil: for reading optional fields.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
