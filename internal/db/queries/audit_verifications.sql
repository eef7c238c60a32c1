-- name: InsertAuditVerification :one
INSERT INTO audit_verifications (started_by) VALUES (@started_by)
RETURNING id, requested_at;

-- name: ActiveAuditVerification :one
-- The check that is queued or running, if any.
SELECT id FROM audit_verifications WHERE status IN ('queued', 'running');

-- name: GetAuditVerification :one
SELECT v.id, v.status, v.started_by, coalesce(u.username, '')::text AS started_by_username,
       v.requested_at, v.started_at, v.finished_at, v.checked, v.head_seq, v.head_hash,
       v.broken_seq, v.broken_id, v.broken_reason
FROM audit_verifications v
LEFT JOIN users u ON u.id = v.started_by
WHERE v.id = @id;

-- name: ListAuditVerifications :many
SELECT v.id, v.status, v.started_by, coalesce(u.username, '')::text AS started_by_username,
       v.requested_at, v.started_at, v.finished_at, v.checked, v.head_seq, v.head_hash,
       v.broken_seq, v.broken_id, v.broken_reason
FROM audit_verifications v
LEFT JOIN users u ON u.id = v.started_by
ORDER BY v.requested_at DESC, v.id DESC
LIMIT @max_rows;

-- name: StartAuditVerification :one
-- queued → running; also running → running, when River gives a rescued job
-- to another worker, which starts the walk again from the beginning.
UPDATE audit_verifications
SET status = 'running', started_at = now(), checked = 0, head_seq = NULL, head_hash = NULL
WHERE id = @id AND status IN ('queued', 'running')
RETURNING id;

-- name: SetAuditVerificationProgress :exec
UPDATE audit_verifications
SET checked = @checked, head_seq = @head_seq, head_hash = @head_hash
WHERE id = @id AND status = 'running';

-- name: FinishAuditVerification :one
UPDATE audit_verifications
SET status = @status, finished_at = now(), checked = @checked, head_seq = sqlc.narg(head_seq),
    head_hash = sqlc.narg(head_hash), broken_seq = sqlc.narg(broken_seq), broken_id = sqlc.narg(broken_id),
    broken_reason = sqlc.narg(broken_reason)
WHERE id = @id AND status IN ('queued', 'running')
RETURNING id;

-- name: AuditChainHead :one
-- The newest entry of the chain.
SELECT chain_seq, hash FROM audit_events ORDER BY chain_seq DESC LIMIT 1;
