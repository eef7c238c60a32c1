package templates

import (
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// waitingCount shows an approvals count, which is counted up to 100
// (orders.WaitingCountCap): "99+" from there.
func waitingCount(n int) string {
	if n > 99 {
		return "99+"
	}
	return strconv.Itoa(n)
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// when shows a time the same way on every page: UTC, to the minute.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func joinRoles(rs []string) string {
	if len(rs) == 0 {
		return "none"
	}
	return strings.Join(rs, ", ")
}

func joinComma(s []string) string { return strings.Join(s, ", ") }

func boolAttr(b bool) string { return strconv.FormatBool(b) }
