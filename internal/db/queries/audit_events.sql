-- name: InsertAuditEvent :one
INSERT INTO audit_events (actor, action, subject, remote_addr, request_id, details)
VALUES (@actor, @action, @subject, @remote_addr, @request_id, @details)
RETURNING id, occurred_at;

-- name: ListAuditEventsForSubject :many
SELECT id, occurred_at, actor, action, subject, remote_addr, request_id, details
FROM audit_events
WHERE subject = @subject
ORDER BY id;

-- name: AuditChainPage :many
-- One page of the chain, in chain order, with the fields as the hash reads
-- them (the time as UTC text with microseconds, details as jsonb's text).
SELECT chain_seq, id, prev_hash, hash,
       to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')::text AS occurred_at_text,
       actor, action, subject, remote_addr, request_id, details::text AS details_text
FROM audit_events
WHERE chain_seq > @after_seq
ORDER BY chain_seq
LIMIT @page_size;
