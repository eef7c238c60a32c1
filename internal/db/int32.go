package db

import "math"

// int32Of converts a count or number to the int32 of an SQL integer
// column or LIMIT. Callers pass small numbers (row limits, versions,
// approver counts, HTTP statuses), but a conversion must not wrap: a value
// out of range is clamped, so a huge limit means "all there is" and an
// impossible version matches no row, instead of wrapping to a negative one.
func int32Of(n int) int32 {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	if n < math.MinInt32 {
		return math.MinInt32
	}
	return int32(n)
}
