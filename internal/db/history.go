package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/db/sqlcgen"
)

// ReadSnapshot runs fn in a read-only, repeatable-read transaction: every
// query fn makes sees the same snapshot, so a list and its counts, or the
// pages of an export, agree with each other.
//
// It also sets plan_cache_mode to force_custom_plan. The history queries
// take optional filters ("$1 IS NULL OR col = $1"); pgx prepares them, and
// after five runs Postgres may settle on a generic plan that cannot know
// which filters are set and scans the whole table. Planning each run with
// its values costs a fraction of a millisecond and keeps the indexes in use.
func ReadSnapshot(ctx context.Context, p Pool, fn func(q DBTX) error) error {
	tx, err := beginSnapshot(ctx, p)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only: nothing to keep
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// snapshotBegin opens the snapshot and sets the plans in one round trip
// (pgx sends a statement without arguments in the simple protocol, which
// takes several): a page under load waits for every round trip, and these
// were two of a list page's seven.
const snapshotBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan"

// beginSnapshot begins ReadSnapshot's transaction: in one statement on a
// pool that takes a BEGIN of its own (pgxpool), else BEGIN and then the
// settings.
func beginSnapshot(ctx context.Context, p Pool) (pgx.Tx, error) {
	if bp, ok := p.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		tx, err := bp.BeginTx(ctx, pgx.TxOptions{BeginQuery: snapshotBegin})
		if err != nil {
			return nil, fmt.Errorf("db: begin a snapshot: %w", Translate(err))
		}
		return tx, nil
	}
	tx, err := p.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: begin: %w", Translate(err))
	}
	const settings = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL plan_cache_mode = force_custom_plan"
	if _, err := tx.Exec(ctx, settings); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("db: %s: %w", settings, Translate(err))
	}
	return tx, nil
}

// LikePrefix is a LIKE pattern matching text that starts with s, taken
// literally: % and _ in s match only themselves.
func LikePrefix(s string) string { return likeEscape(s) + "%" }

// LikeContains is a LIKE pattern matching text that contains s literally.
func LikeContains(s string) string { return "%" + likeEscape(s) + "%" }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func likeEscape(s string) string { return likeEscaper.Replace(s) }

// AuditFilter narrows the audit log; zero fields filter nothing.
type AuditFilter struct {
	// BeforeSeq pages: only entries earlier in the chain than this.
	BeforeSeq int64
	// Actor is as stored: a user id as text, "system" or "anonymous".
	Actor        string
	ActionPrefix string
	Subject      string
	Since, Until time.Time
}

// AuditEntry is an audit event with its place in the chain and its actor's
// name when the actor is a user.
type AuditEntry struct {
	AuditEvent
	ChainSeq      int64
	PrevHash      string
	Hash          string
	DetailsText   string
	ActorUsername string
	ActorName     string
}

// ListAuditLog lists up to limit entries matching f, newest first.
func ListAuditLog(ctx context.Context, q DBTX, f AuditFilter, limit int) ([]AuditEntry, error) {
	p := sqlcgen.ListAuditLogParams{MaxRows: int32Of(limit), Actor: nonEmpty(f.Actor), Subject: nonEmpty(f.Subject)}
	if f.BeforeSeq > 0 {
		p.BeforeSeq = &f.BeforeSeq
	}
	if f.ActionPrefix != "" {
		pat := LikePrefix(f.ActionPrefix)
		p.ActionPrefix = &pat
	}
	p.Since, p.Until = nonZero(f.Since), nonZero(f.Until)
	rows, err := queries.ListAuditLog(ctx, q, p)
	if err != nil {
		return nil, fmt.Errorf("db: list the audit log: %w", Translate(err))
	}
	out := make([]AuditEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, AuditEntry{
			AuditEvent: AuditEvent{ID: r.ID, OccurredAt: r.OccurredAt, Actor: r.Actor, Action: r.Action,
				Subject: r.Subject, RemoteAddr: r.RemoteAddr, RequestID: r.RequestID},
			ChainSeq: r.ChainSeq, PrevHash: r.PrevHash, Hash: r.Hash, DetailsText: r.DetailsText,
			ActorUsername: r.ActorUsername, ActorName: r.ActorName,
		})
	}
	return out, nil
}

// FindActor is the audit actor (a user id as text) of a username.
func FindActor(ctx context.Context, q DBTX, username string) (string, error) {
	a, err := queries.FindActor(ctx, q, username)
	if err != nil {
		return "", fmt.Errorf("db: find actor %q: %w", username, Translate(err))
	}
	return a, nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonZero(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
