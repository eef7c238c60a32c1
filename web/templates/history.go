package templates

import (
	"strconv"
	"strings"
	"time"
)

// AuditLogView is the audit page: filters, one page of entries, newest
// first, and the link to the next (older) page.
type AuditLogView struct {
	Page
	// The filters as typed, to show them back.
	Actor, Action, Subject, From, To string
	// Errors maps a filter field to what is wrong with it.
	Errors  map[string]string
	Entries []AuditRow
	// NextURL is the next page's address; "" on the last page.
	NextURL string
	// Query is the filters as a query string, for the export links.
	Query string
}

// AuditRow is one audit entry as the page shows it.
type AuditRow struct {
	Seq        int64
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	Subject    string
	RemoteAddr string
	RequestID  string
	Details    string
	Hash       string
}

// AuditVerifyView is what checking the whole chain found.
type AuditVerifyView struct {
	Page
	Checked int64
	Head    string
	Intact  bool
	// BreakSeq, BreakID and Reason describe the first broken link.
	BreakSeq int64
	BreakID  int64
	Reason   string
}

// OrderHistoryView is an order's timeline: every audit event about it and
// every approval decision, each with who and when.
type OrderHistoryView struct {
	Page
	ID          int64
	Title       string
	StatusLabel string
	Status      string
	Events      []AuditRow
	Approvals   []ApprovalRecord
	// Truncated says only the newest events are shown.
	Truncated bool
}

// ApprovalRecord is one approver's decision on one version.
type ApprovalRecord struct {
	Version   int
	Approver  string
	Decision  string
	Comment   string
	DecidedAt time.Time
	SHA256    string
}

// SubjectPath links an audit subject to its page when it has one: orders
// link to their history.
func SubjectPath(subject string) string {
	if id, ok := strings.CutPrefix(subject, "order:"); ok {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			return OrderHistoryPath(n)
		}
	}
	return ""
}

// OrderHistoryPath is an order's timeline page.
func OrderHistoryPath(id int64) string { return OrderPath(id) + "/history" }

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}
