-- name: InsertAuditEvent :one
INSERT INTO audit_events (actor, action, subject, remote_addr, request_id, details)
VALUES (@actor, @action, @subject, @remote_addr, @request_id, @details)
RETURNING id, occurred_at;

-- name: ListAuditEventsForSubject :many
SELECT id, occurred_at, actor, action, subject, remote_addr, request_id, details
FROM audit_events
WHERE subject = @subject
ORDER BY id;
