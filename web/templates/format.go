package templates

import (
	"strconv"
	"strings"
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

func joinRoles(rs []string) string {
	if len(rs) == 0 {
		return "none"
	}
	return strings.Join(rs, ", ")
}

func joinComma(s []string) string { return strings.Join(s, ", ") }

func boolAttr(b bool) string { return strconv.FormatBool(b) }
