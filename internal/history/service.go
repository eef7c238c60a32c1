// Package history answers the auditor's questions: who bought what, when,
// approved by whom, and what Tencent Cloud answered. It reads orders, their
// approvals and the audit log, lists and searches them page by page, and
// streams exports; it never changes anything.
package history

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"dealdesk/internal/db"
)

// Service reads the history. Every read runs in one read-only snapshot
// (db.ReadSnapshot), so a page and its counts agree.
type Service struct {
	pool db.Pool
	// summarize words an order's parameters as the domain's summary, for
	// the exports' summary column; nil leaves the column empty.
	summarize Summarizer
}

// Summarizer words an order (product, region, parameters) as one line in
// the language of the reader ctx carries. The domain's summary lives in
// orders, which the history may not import, and its words in the web's
// catalogs: the console hands it in (web.ExportSummary).
type Summarizer func(ctx context.Context, product, region string, params []byte) string

// NewService builds the service on a pool.
func NewService(pool db.Pool) *Service { return &Service{pool: pool} }

// WithSummary is the service with the exports' summary column filled by f.
func (s *Service) WithSummary(f Summarizer) *Service {
	c := *s
	c.summarize = f
	return &c
}

// AuditPageSize is how many audit entries one page shows.
const AuditPageSize = 50

// AuditPage is one page of the audit log, newest first.
type AuditPage struct {
	Entries []db.AuditEntry
	// NextBefore is the cursor of the next (older) page; 0 when this is the last.
	NextBefore int64
}

// AuditLog lists one page of the audit log matching f. f.Actor may be a
// username, which is looked up; otherwise it is taken as stored ("system",
// "anonymous", a user id).
func (s *Service) AuditLog(ctx context.Context, f db.AuditFilter) (AuditPage, error) {
	var page AuditPage
	err := db.ReadSnapshot(ctx, s.pool, func(q db.DBTX) error {
		var err error
		if f.Actor, err = s.actor(ctx, q, f.Actor); err != nil {
			return err
		}
		// One more than a page tells whether there is a next page.
		rows, err := db.ListAuditLog(ctx, q, f, AuditPageSize+1)
		if err != nil {
			return err
		}
		if len(rows) > AuditPageSize {
			rows = rows[:AuditPageSize]
			page.NextBefore = rows[len(rows)-1].ChainSeq
		}
		page.Entries = rows
		return nil
	})
	return page, err
}

// actor turns a username into the id the log stores.
func (s *Service) actor(ctx context.Context, q db.DBTX, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	id, err := db.FindActor(ctx, q, name)
	if errors.Is(err, db.ErrNotFound) {
		return name, nil
	}
	return id, err
}

// VerifyChain checks the whole audit chain (see db.VerifyAuditChain).
func (s *Service) VerifyChain(ctx context.Context) (db.ChainReport, error) {
	rep, err := db.VerifyAuditChain(ctx, s.pool, 5000)
	if err != nil {
		return rep, fmt.Errorf("history: verify the audit chain: %w", err)
	}
	return rep, nil
}

// OrderTimelineLimit bounds an order's timeline; a real order has tens of
// events, so reaching it means something wrote in a loop.
const OrderTimelineLimit = 1000

// Timeline is everything recorded about one order: its audit events, oldest
// first, and every approval decision on any of its versions.
type Timeline struct {
	Events    []db.AuditEntry
	Approvals []db.Approval
	// Truncated says the events stopped at OrderTimelineLimit.
	Truncated bool
}

// OrderTimeline reads the timeline of one order (which the caller has
// already found).
func (s *Service) OrderTimeline(ctx context.Context, orderID int64) (Timeline, error) {
	var t Timeline
	err := db.ReadSnapshot(ctx, s.pool, func(q db.DBTX) error {
		rows, err := db.ListAuditLog(ctx, q, db.AuditFilter{Subject: fmt.Sprintf("order:%d", orderID)}, OrderTimelineLimit+1)
		if err != nil {
			return err
		}
		if len(rows) > OrderTimelineLimit {
			rows, t.Truncated = rows[:OrderTimelineLimit], true
		}
		// The log lists newest first; a timeline reads oldest first.
		for _, row := range slices.Backward(rows) {
			t.Events = append(t.Events, row)
		}
		t.Approvals, err = db.ListApprovals(ctx, q, orderID)
		return err
	})
	return t, err
}

// AuditChecks lists the newest checks of the audit chain (run as jobs),
// newest first.
func (s *Service) AuditChecks(ctx context.Context, limit int32) ([]db.AuditVerification, error) {
	vs, err := db.ListAuditVerifications(ctx, s.pool, limit)
	if err != nil {
		return nil, fmt.Errorf("history: audit checks: %w", err)
	}
	return vs, nil
}

// AuditCheck reads one check of the audit chain; db.ErrNotFound when there
// is no such check.
func (s *Service) AuditCheck(ctx context.Context, id int64) (db.AuditVerification, error) {
	v, err := db.GetAuditVerification(ctx, s.pool, id)
	if err != nil {
		return v, fmt.Errorf("history: audit check: %w", err)
	}
	return v, nil
}
