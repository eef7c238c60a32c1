package db

import (
	"context"
	"fmt"
)

// QueueStat is how many jobs of one River queue wait to run, and for how
// long the oldest of them has been due.
type QueueStat struct {
	Queue         string
	Waiting       int64
	OldestSeconds float64
}

// queueStats is written here rather than in queries/: River's tables come
// from River's migrator, which sqlc does not read. It walks River's own
// (state, queue, priority, scheduled_at, id) index, so it costs what is
// waiting, not what the table holds.
const queueStats = `SELECT queue, count(*)::bigint,
       coalesce(extract(epoch FROM now() - min(scheduled_at)), 0)::float8
FROM river_job
WHERE state IN ('available', 'retryable') AND scheduled_at <= now()
GROUP BY queue`

// QueueStats lists the waiting jobs per queue (queues with none are absent).
func QueueStats(ctx context.Context, q DBTX) ([]QueueStat, error) {
	rows, err := q.Query(ctx, queueStats)
	if err != nil {
		return nil, fmt.Errorf("db: queue stats: %w", Translate(err))
	}
	defer rows.Close()
	var out []QueueStat
	for rows.Next() {
		var s QueueStat
		if err := rows.Scan(&s.Queue, &s.Waiting, &s.OldestSeconds); err != nil {
			return nil, fmt.Errorf("db: queue stats: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("db: queue stats: %w", Translate(err))
	}
	return out, nil
}

// CountOrdersInStatus counts the orders in one status from the kept counts.
func CountOrdersInStatus(ctx context.Context, q DBTX, status string) (int64, error) {
	n, err := queries.CountOrdersInStatus(ctx, q, status)
	if err != nil {
		return 0, fmt.Errorf("db: count %s orders: %w", status, Translate(err))
	}
	return n, nil
}
