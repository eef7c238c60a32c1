package tcapi

// Optional request fields are set with Go 1.26's new(expr): new("PrePay"),
// new(int64(12)).

// Deref returns *p, or the zero value when p is nil: for reading optional fields.
func Deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
