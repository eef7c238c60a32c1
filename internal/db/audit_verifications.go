package db

import (
	"context"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// The states of an audit chain check (migration 012).
const (
	VerificationQueued  = "queued"
	VerificationRunning = "running"
	VerificationIntact  = "intact"
	VerificationBroken  = "broken"
	VerificationFailed  = "failed"
)

// AuditVerification is one check of the audit chain, run as a job.
type AuditVerification struct {
	ID                int64
	Status            string
	StartedBy         int64
	StartedByUsername string
	RequestedAt       time.Time
	StartedAt         *time.Time
	FinishedAt        *time.Time
	// Checked counts the entries verified so far.
	Checked int64
	// HeadSeq and HeadHash are the last entry verified (nil before the first).
	HeadSeq  *int64
	HeadHash *string
	// Broken is set when the check found a break.
	Broken *ChainBreak
}

// Done reports whether the check has finished, whatever it found.
func (v AuditVerification) Done() bool {
	return v.Status == VerificationIntact || v.Status == VerificationBroken || v.Status == VerificationFailed
}

// InsertAuditVerification records a check asked for by a user and returns
// its id. A check already queued or running is an ErrConflict (one at a time).
func InsertAuditVerification(ctx context.Context, q DBTX, startedBy int64) (int64, error) {
	row, err := queries.InsertAuditVerification(ctx, q, startedBy)
	if err != nil {
		return 0, fmt.Errorf("db: insert audit verification: %w", Translate(err))
	}
	return row.ID, nil
}

// ActiveAuditVerification is the id of the check queued or running now;
// ErrNotFound when there is none.
func ActiveAuditVerification(ctx context.Context, q DBTX) (int64, error) {
	id, err := queries.ActiveAuditVerification(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("db: active audit verification: %w", Translate(err))
	}
	return id, nil
}

// GetAuditVerification reads one check.
func GetAuditVerification(ctx context.Context, q DBTX, id int64) (AuditVerification, error) {
	r, err := queries.GetAuditVerification(ctx, q, id)
	if err != nil {
		return AuditVerification{}, fmt.Errorf("db: audit verification %d: %w", id, Translate(err))
	}
	return auditVerification(sqlcgen.ListAuditVerificationsRow(r)), nil
}

// ListAuditVerifications lists the newest checks first.
func ListAuditVerifications(ctx context.Context, q DBTX, limit int32) ([]AuditVerification, error) {
	rows, err := queries.ListAuditVerifications(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("db: list audit verifications: %w", Translate(err))
	}
	out := make([]AuditVerification, 0, len(rows))
	for _, r := range rows {
		out = append(out, auditVerification(r))
	}
	return out, nil
}

func auditVerification(r sqlcgen.ListAuditVerificationsRow) AuditVerification {
	v := AuditVerification{
		ID: r.ID, Status: r.Status, StartedBy: r.StartedBy, StartedByUsername: r.StartedByUsername,
		RequestedAt: r.RequestedAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Checked: r.Checked, HeadSeq: r.HeadSeq, HeadHash: r.HeadHash,
	}
	if r.BrokenSeq != nil {
		b := ChainBreak{ChainSeq: *r.BrokenSeq}
		if r.BrokenID != nil {
			b.ID = *r.BrokenID
		}
		if r.BrokenReason != nil {
			b.Reason = *r.BrokenReason
		}
		v.Broken = &b
	}
	return v
}

// StartAuditVerification moves a check to running (again, for a rescued
// job, from zero). ErrNotFound when it has already finished.
func StartAuditVerification(ctx context.Context, q DBTX, id int64) error {
	if _, err := queries.StartAuditVerification(ctx, q, id); err != nil {
		return fmt.Errorf("db: start audit verification %d: %w", id, Translate(err))
	}
	return nil
}

// SetAuditVerificationProgress records how far a running check has got.
func SetAuditVerificationProgress(ctx context.Context, q DBTX, id int64, rep ChainReport) error {
	p := sqlcgen.SetAuditVerificationProgressParams{ID: id, Checked: rep.Checked}
	if rep.Checked > 0 {
		p.HeadSeq, p.HeadHash = &rep.HeadSeq, &rep.Head
	}
	if err := queries.SetAuditVerificationProgress(ctx, q, p); err != nil {
		return fmt.Errorf("db: audit verification %d progress: %w", id, Translate(err))
	}
	return nil
}

// FinishAuditVerification records what a check found: intact or broken
// from rep, or failed when failed is true. ErrNotFound when it had already
// finished.
func FinishAuditVerification(ctx context.Context, q DBTX, id int64, rep ChainReport, failed bool) (string, error) {
	p := sqlcgen.FinishAuditVerificationParams{ID: id, Checked: rep.Checked, Status: VerificationIntact}
	if rep.Checked > 0 {
		p.HeadSeq, p.HeadHash = &rep.HeadSeq, &rep.Head
	}
	switch {
	case failed:
		p.Status = VerificationFailed
	case rep.Broken != nil:
		p.Status = VerificationBroken
		p.BrokenSeq, p.BrokenID, p.BrokenReason = &rep.Broken.ChainSeq, &rep.Broken.ID, &rep.Broken.Reason
	}
	if _, err := queries.FinishAuditVerification(ctx, q, p); err != nil {
		return "", fmt.Errorf("db: finish audit verification %d: %w", id, Translate(err))
	}
	return p.Status, nil
}

// AuditChainHead is the newest entry's place and hash; ErrNotFound when
// the log is empty.
func AuditChainHead(ctx context.Context, q DBTX) (seq int64, hash string, err error) {
	r, err := queries.AuditChainHead(ctx, q)
	if err != nil {
		return 0, "", fmt.Errorf("db: audit chain head: %w", Translate(err))
	}
	return r.ChainSeq, r.Hash, nil
}
