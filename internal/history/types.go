package history

import "dealdesk/internal/db"

// The history is read as it is stored: its rows, filters and cursors are
// the storage's own records, declared once in db beside the SQL that reads
// them (no second copy, no mapping). They are named here so the pages
// depend on the history, not on the storage.
type (
	// OrderSummary is one order in the orders history.
	OrderSummary = db.OrderSummary
	// OrderFilter is the orders history's filter by ids and values.
	OrderFilter = db.OrderFilter
	// OrderCursor is where the next page of the orders history starts.
	OrderCursor = db.OrderCursor
	// OrderSort is the orders history's order.
	OrderSort = db.OrderSort
	// AuditEntry is one event of the audit log.
	AuditEntry = db.AuditEntry
	// AuditFilter is the audit log page's filter.
	AuditFilter = db.AuditFilter
	// AuditVerification is one check of the audit chain.
	AuditVerification = db.AuditVerification
)

// The orders history's sort orders.
const (
	SortNewest  = db.SortNewest
	SortOldest  = db.SortOldest
	SortUpdated = db.SortUpdated
)
