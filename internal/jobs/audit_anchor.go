package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/auditanchor"
	"dealdesk/internal/db"
)

// AuditAnchorArgs asks for one anchor of the audit chain's head. River's
// periodic job inserts one every CONSOLE_AUDIT_ANCHOR_EVERY (on the leader
// replica only, so replicas do not each sign).
type AuditAnchorArgs struct{}

// Kind implements river.JobArgs.
func (AuditAnchorArgs) Kind() string { return "audit_anchor" }

// InsertOpts puts anchors on the audit queue.
func (AuditAnchorArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueAudit, MaxAttempts: 5}
}

// AnchorConfig turns anchoring on: nil Signer leaves it off.
type AnchorConfig struct {
	Signer *auditanchor.Signer
	// Every is the interval; 0 means an hour.
	Every time.Duration
	// File, when set, gets every anchor appended as a line.
	File string
}

type auditAnchorWorker struct {
	river.WorkerDefaults[AuditAnchorArgs]
	pool *pgxpool.Pool
	log  *slog.Logger
	cfg  AnchorConfig
}

func (w *auditAnchorWorker) Work(ctx context.Context, _ *river.Job[AuditAnchorArgs]) error {
	_, err := Anchor(ctx, w.pool, w.log, w.cfg, time.Now())
	return err
}

// Anchor signs the chain's head as it is now and delivers it outside the
// database: a structured log line ("audit anchor", its JSON in the
// attribute "anchor") and, when cfg.File is set, a line appended to that
// file. An empty log has no head and gets no anchor (ok false).
func Anchor(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, cfg AnchorConfig, now time.Time) (a auditanchor.Anchor, err error) {
	seq, hash, err := db.AuditChainHead(ctx, pool)
	if errors.Is(err, db.ErrNotFound) {
		log.Info("audit anchor: the audit log is empty; nothing to anchor")
		return a, nil
	}
	if err != nil {
		return a, err
	}
	a = cfg.Signer.Sign(seq, hash, now)
	line := a.Line()
	log.Info("audit anchor", "anchor", line, "chain_seq", a.ChainSeq, "hash", a.Hash, "key_id", a.KeyID)
	if cfg.File != "" {
		if err := appendLine(cfg.File, line); err != nil {
			return a, err
		}
	}
	return a, nil
}

// appendLine appends and syncs, so an anchor the log reports is on disk.
func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600) //nolint:gosec // G304: the path is the operator's CONSOLE_AUDIT_ANCHOR_FILE, not user input
	if err != nil {
		return fmt.Errorf("jobs: open the anchor file: %w", err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		_ = f.Close()
		return fmt.Errorf("jobs: append to the anchor file: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("jobs: sync the anchor file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("jobs: close the anchor file: %w", err)
	}
	return nil
}
