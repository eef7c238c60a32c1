package db

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dealdesk/internal/db/sqlcgen"
)

// LockOrder reads an order and locks its row for the rest of the transaction.
func LockOrder(ctx context.Context, q DBTX, id int64) (OrderRow, error) {
	row, err := queries.LockOrder(ctx, q, id)
	if err != nil {
		return OrderRow{}, fmt.Errorf("db: lock order %d: %w", id, Translate(err))
	}
	return row, nil
}

// SendAttempt is one call made for an order, with the bytes as evidence.
type SendAttempt struct {
	ID           int64
	OrderID      int64
	Attempt      int
	ParamsSHA256 string
	SentSHA256   string
	Outcome      string
	RequestID    string
	ErrorCode    string
	ErrorMessage string
	HTTPStatus   int
	Sent         []byte
	Received     []byte
	Replica      string
	// SecretID is the SecretId that signed the call ('' before the call).
	SecretID string
	// CallingAt is when the request was about to be written: from then on
	// the call may have reached Tencent Cloud. Nil means nothing was sent.
	CallingAt *time.Time
	// StartedAt and FinishedAt are the database's clock; FinishedAt is nil
	// while the call is out (or if its process died before recording it).
	StartedAt  time.Time
	FinishedAt *time.Time
}

// BeginSendAttempt counts a new attempt on the order and records its start.
func BeginSendAttempt(ctx context.Context, q DBTX, orderID int64, replica string) (id int64, attempt int, err error) {
	row, err := queries.BeginSendAttempt(ctx, q, sqlcgen.BeginSendAttemptParams{OrderID: orderID, Replica: replica})
	if err != nil {
		return 0, 0, fmt.Errorf("db: begin send attempt for order %d: %w", orderID, Translate(err))
	}
	return row.ID, int(row.Attempt), nil
}

// FinishSendAttempt records how an attempt ended.
func FinishSendAttempt(ctx context.Context, q DBTX, a SendAttempt) error {
	err := queries.FinishSendAttempt(ctx, q, sqlcgen.FinishSendAttemptParams{
		ID: a.ID, Outcome: a.Outcome, RequestID: a.RequestID, ErrorCode: a.ErrorCode,
		ErrorMessage: a.ErrorMessage, HttpStatus: int32Of(a.HTTPStatus), Sent: a.Sent, Received: a.Received,
		SentSha256: a.SentSHA256,
	})
	if err != nil {
		return fmt.Errorf("db: finish send attempt %d: %w", a.ID, Translate(err))
	}
	return nil
}

// RecordOrderOutcome stores the last send's outcome on the order. final marks
// the order's sending as finished (succeeded, failed or unknown).
func RecordOrderOutcome(ctx context.Context, q DBTX, orderID int64, o SendOutcome, final bool) error {
	err := queries.RecordOrderOutcome(ctx, q, sqlcgen.RecordOrderOutcomeParams{
		ID: orderID, Outcome: o.Outcome, RequestID: o.RequestID, ErrorCode: o.ErrorCode,
		ErrorMessage: o.ErrorMessage, Response: o.Response, DealNames: nonNil(o.DealNames),
		BigDealID: o.BigDealID, InstanceIds: nonNil(o.InstanceIDs), BillingOrderID: o.BillingOrderID, Final: final,
	})
	if err != nil {
		return fmt.Errorf("db: record outcome of order %d: %w", orderID, Translate(err))
	}
	return nil
}

// ListSendAttempts lists an order's attempts, first first.
func ListSendAttempts(ctx context.Context, q DBTX, orderID int64) ([]SendAttempt, error) {
	rows, err := queries.ListSendAttempts(ctx, q, orderID)
	if err != nil {
		return nil, fmt.Errorf("db: list send attempts: %w", Translate(err))
	}
	out := make([]SendAttempt, len(rows))
	for i, r := range rows {
		out[i] = SendAttempt{
			ID: r.ID, OrderID: r.OrderID, Attempt: int(r.Attempt), ParamsSHA256: r.ParamsSha256,
			SentSHA256: r.SentSha256, Outcome: r.Outcome, RequestID: r.RequestID, ErrorCode: r.ErrorCode,
			ErrorMessage: r.ErrorMessage, HTTPStatus: int(r.HttpStatus), Sent: r.Sent, Received: r.Received,
			Replica: r.Replica, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
			SecretID: r.SecretID, CallingAt: r.CallingAt,
		}
	}
	return out, nil
}

// SetSettlementNote stores what a person recorded when settling an order.
func SetSettlementNote(ctx context.Context, q DBTX, orderID int64, note string) error {
	if err := queries.SetSettlementNote(ctx, q, sqlcgen.SetSettlementNoteParams{ID: orderID, Note: note}); err != nil {
		return fmt.Errorf("db: settlement note of order %d: %w", orderID, Translate(err))
	}
	return nil
}

// SendJobWaiting reports whether a send job for the order is queued or
// running. Written by hand: River's tables come from River's own migrations,
// which sqlc does not read.
func SendJobWaiting(ctx context.Context, q DBTX, orderID int64) (bool, error) {
	var waiting bool
	err := q.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM river_job
		WHERE kind = 'send_order' AND (args->>'order_id')::bigint = $1
		  AND state IN ('available', 'pending', 'retryable', 'running', 'scheduled'))`, orderID).Scan(&waiting)
	if err != nil {
		return false, fmt.Errorf("db: is a send of order %d waiting: %w", orderID, Translate(err))
	}
	return waiting, nil
}

// InterruptOpenSendAttempts marks the order's attempts open for longer than
// olderThan as interrupted (or not_called, when the call never started): the
// process that made them stopped before recording an answer. 0 closes every
// open attempt, including one committed while the caller waited for a lock.
func InterruptOpenSendAttempts(ctx context.Context, q DBTX, orderID int64, olderThan time.Duration) (int64, error) {
	n, err := queries.InterruptOpenSendAttempts(ctx, q, sqlcgen.InterruptOpenSendAttemptsParams{
		OrderID: orderID, OlderThanSeconds: olderThan.Seconds(),
	})
	if err != nil {
		return 0, fmt.Errorf("db: close interrupted attempts of order %d: %w", orderID, Translate(err))
	}
	return n, nil
}

// ErrAttemptClosed is returned by MarkAttemptCalling when the attempt was
// already closed (a rescue took it over) or already marked: the call must
// not be made.
var ErrAttemptClosed = errors.New("db: the send attempt is closed or already calling")

// MarkAttemptCalling records that the attempt's request is about to be
// written, signed with secretID. Run it outside any transaction, so it is
// committed before the first byte leaves.
func MarkAttemptCalling(ctx context.Context, q DBTX, attemptID int64, secretID string) error {
	n, err := queries.MarkAttemptCalling(ctx, q, sqlcgen.MarkAttemptCallingParams{ID: attemptID, SecretID: secretID})
	if err != nil {
		return fmt.Errorf("db: mark send attempt %d calling: %w", attemptID, Translate(err))
	}
	if n == 0 {
		return ErrAttemptClosed
	}
	return nil
}

// OrderMayHaveBeenSent reports whether any attempt of the order reached the
// call without an answer proving that nothing was bought.
func OrderMayHaveBeenSent(ctx context.Context, q DBTX, orderID int64) (bool, error) {
	v, err := queries.OrderMayHaveBeenSent(ctx, q, orderID)
	if err != nil {
		return false, fmt.Errorf("db: may order %d have been sent: %w", orderID, Translate(err))
	}
	return v, nil
}

// FirstCallSecretID is the SecretId of the order's first call that may have
// reached Tencent Cloud; "" when none is on record.
func FirstCallSecretID(ctx context.Context, q DBTX, orderID int64) (string, error) {
	v, err := queries.FirstCallSecretID(ctx, q, orderID)
	if err != nil {
		return "", fmt.Errorf("db: first call's SecretId of order %d: %w", orderID, Translate(err))
	}
	return v, nil
}

// DeleteScheduledSend deletes the send job of an order that is waiting for
// its delivery time (state scheduled), in the caller's transaction. It
// reports whether there was one: a job already started, or about to
// (available, running), is not taken back.
func DeleteScheduledSend(ctx context.Context, q DBTX, orderID int64) (bool, error) {
	tag, err := q.Exec(ctx, `DELETE FROM river_job
		WHERE kind = 'send_order' AND (args->>'order_id')::bigint = $1 AND state = 'scheduled'`, orderID)
	if err != nil {
		return false, fmt.Errorf("db: take back the scheduled send of order %d: %w", orderID, Translate(err))
	}
	return tag.RowsAffected() > 0, nil
}
