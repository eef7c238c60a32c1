package tcapi

// String returns a pointer to s, for setting optional request fields.
func String(s string) *string { return &s }

// Int64 returns a pointer to n, for setting optional request fields.
func Int64(n int64) *int64 { return &n }

// Bool returns a pointer to b, for setting optional request fields.
func Bool(b bool) *bool { return &b }

// Deref returns *p, or the zero value when p is nil: for reading optional fields.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
