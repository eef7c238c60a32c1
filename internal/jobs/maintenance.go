package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"dealdesk/internal/db"
)

// QueueMaintenance holds the periodic upkeep: a queue of its own, one
// worker, so it never takes a send's place.
const QueueMaintenance = "maintenance"

// MaintenanceArgs asks for one round of upkeep. River's periodic job
// inserts one every MaintenanceConfig.Every, on the leader replica only.
type MaintenanceArgs struct{}

// Kind implements river.JobArgs.
func (MaintenanceArgs) Kind() string { return "maintenance" }

// InsertOpts puts upkeep on its queue; a failed round is simply the next
// round's work, so it is not retried.
func (MaintenanceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueMaintenance, MaxAttempts: 1}
}

// MaintenanceConfig is the periodic upkeep that keeps tables small.
type MaintenanceConfig struct {
	// Every is the interval; 0 means a minute.
	Every time.Duration
	// SessionIdle is the sessions' idle timeout: sessions idle longer, or
	// past their absolute expiry, are deleted.
	SessionIdle time.Duration
	// LoginWindow is the login throttle's window: counters older go.
	LoginWindow time.Duration
}

// rateSlotsKeep is how long an unused key's rate-limit slot is kept: a
// slot past is no limit at all, so anything longer than the spacing would
// do; an hour keeps the rows of keys in use from churning.
const rateSlotsKeep = time.Hour

type maintenanceWorker struct {
	river.WorkerDefaults[MaintenanceArgs]
	pool *pgxpool.Pool
	log  *slog.Logger
	cfg  MaintenanceConfig
}

func (w *maintenanceWorker) Work(ctx context.Context, _ *river.Job[MaintenanceArgs]) error {
	_, err := Maintain(ctx, w.pool, w.log, w.cfg)
	return err
}

func (w *maintenanceWorker) Timeout(*river.Job[MaintenanceArgs]) time.Duration { return time.Minute }

// Swept is what one round of upkeep did.
type Swept struct {
	CountDeltas, Sessions, RateSlots int64
}

// Maintain runs one round of upkeep: folds the order counts' deltas into
// the kept counts (migration 015), deletes expired sessions, stale login
// throttle counters and unused rate-limit slots. Each step is its own
// statement, safe beside any other replica's work. River deletes its own
// finished jobs (river.Config's retention periods, set in New).
func Maintain(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, cfg MaintenanceConfig) (Swept, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var s Swept
	var err error
	if s.CountDeltas, err = db.FoldOrderCounts(ctx, pool); err != nil {
		return s, err
	}
	if cfg.SessionIdle > 0 {
		if s.Sessions, err = db.SweepSessions(ctx, pool, cfg.SessionIdle); err != nil {
			return s, err
		}
	}
	if cfg.LoginWindow > 0 {
		if err := db.DeleteStaleLoginThrottle(ctx, pool, cfg.LoginWindow); err != nil {
			return s, err
		}
	}
	if s.RateSlots, err = db.SweepRateLimitSlots(ctx, pool, rateSlotsKeep); err != nil {
		return s, err
	}
	log.Debug("maintenance", "count_deltas_folded", s.CountDeltas, "sessions_deleted", s.Sessions, "rate_slots_deleted", s.RateSlots)
	return s, nil
}
