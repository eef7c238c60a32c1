package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// DBTX is a pool, a connection or a transaction: every store function takes
// one so the caller decides the transaction the write joins.
type DBTX = sqlcgen.DBTX

// AuditEvent is one entry of the append-only audit log.
type AuditEvent struct {
	ID         int64
	OccurredAt time.Time
	// Actor is a user id as text, "system" or "anonymous".
	Actor   string
	Action  string
	Subject string
	// RemoteAddr and RequestID tie the event to the HTTP request behind it.
	RemoteAddr string
	RequestID  string
	// Details must never hold a secret: the log is kept forever.
	Details map[string]any
}

var queries = sqlcgen.New()

// AppendAudit writes an audit event. Call it with the transaction that makes
// the change it records, so the change and its record commit together.
func AppendAudit(ctx context.Context, q DBTX, e AuditEvent) (AuditEvent, error) {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	raw, err := json.Marshal(details)
	if err != nil {
		return e, fmt.Errorf("db: audit details: %w", err)
	}
	row, err := queries.InsertAuditEvent(ctx, q, sqlcgen.InsertAuditEventParams{
		Actor:      e.Actor,
		Action:     e.Action,
		Subject:    e.Subject,
		RemoteAddr: e.RemoteAddr,
		RequestID:  e.RequestID,
		Details:    raw,
	})
	if err != nil {
		return e, fmt.Errorf("db: append audit event %q: %w", e.Action, Translate(err))
	}
	e.ID, e.OccurredAt = row.ID, row.OccurredAt
	return e, nil
}

// AuditEventsFor lists the events about one subject, oldest first.
func AuditEventsFor(ctx context.Context, q DBTX, subject string) ([]AuditEvent, error) {
	rows, err := queries.ListAuditEventsForSubject(ctx, q, subject)
	if err != nil {
		return nil, fmt.Errorf("db: list audit events: %w", Translate(err))
	}
	out := make([]AuditEvent, 0, len(rows))
	for _, r := range rows {
		ev := AuditEvent{
			ID: r.ID, OccurredAt: r.OccurredAt, Actor: r.Actor, Action: r.Action,
			Subject: r.Subject, RemoteAddr: r.RemoteAddr, RequestID: r.RequestID,
		}
		if err := json.Unmarshal(r.Details, &ev.Details); err != nil {
			return nil, fmt.Errorf("db: audit event %d details: %w", r.ID, err)
		}
		out = append(out, ev)
	}
	return out, nil
}
