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
	// Sentence is the entry in words (history.Sentence), shown first; the
	// rest folds away under it.
	Sentence string
}

// AuditVerifyView is the audit chain check page: the newest checks, the
// one running now (if any) and, for admins, the button that starts one.
type AuditVerifyView struct {
	Page
	// CanStart shows the start button (admins; auditors read results).
	CanStart bool
	// Active is the check queued or running now, nil when none.
	Active *AuditCheck
	Checks []AuditCheck
}

// AuditCheckView is one check: its progress while it runs, then what it
// found.
type AuditCheckView struct {
	Page
	Check    AuditCheck
	CanStart bool
}

// AuditCheck is one check of the audit chain as the pages show it.
type AuditCheck struct {
	ID          int64
	Status      string
	StartedBy   string
	RequestedAt time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
	Checked     int64
	// HeadSeq and Head are the last entry verified; Head "" before any.
	HeadSeq int64
	Head    string
	// BreakSeq, BreakID and Reason describe the first broken link.
	BreakSeq int64
	BreakID  int64
	Reason   string
}

// Done reports whether the check has finished.
func (c AuditCheck) Done() bool {
	return c.Status == "intact" || c.Status == "broken" || c.Status == "failed"
}

// StatusLabel is the status in words.
func (c AuditCheck) StatusLabel() string {
	switch c.Status {
	case "queued":
		return "Waiting to start"
	case "running":
		return "Checking"
	case "intact":
		return "Intact"
	case "broken":
		return "Broken"
	case "failed":
		return "Could not finish"
	}
	return c.Status
}

// URL is the check's page.
func (c AuditCheck) URL() string { return "/audit/verify/" + strconv.FormatInt(c.ID, 10) }

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

// sortMark shows a sorted column's direction; the head's aria-sort says it
// to screen readers, so the mark is decoration.
func sortMark(ariaSort string) string {
	switch ariaSort {
	case "descending":
		return "↓"
	case "ascending":
		return "↑"
	}
	return ""
}
