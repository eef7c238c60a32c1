-- name: ListAuditLog :many
-- The audit page: newest first, keyset-paged on chain_seq (no OFFSET, so
-- page 1000 costs what page 1 costs). A NULL filter is no filter. The actor
-- is matched to a user by id as text: users is small, and actors such as
-- "system" have no user.
SELECT a.chain_seq, a.id, a.occurred_at, a.actor, a.action, a.subject, a.remote_addr, a.request_id,
       a.details::text AS details_text, a.prev_hash, a.hash,
       coalesce(u.username, '')::text AS actor_username, coalesce(u.display_name, '')::text AS actor_name
FROM audit_events a
LEFT JOIN users u ON u.id::text = a.actor
WHERE (sqlc.narg(before_seq)::bigint IS NULL OR a.chain_seq < sqlc.narg(before_seq))
  AND (sqlc.narg(actor)::text IS NULL OR a.actor = sqlc.narg(actor))
  AND (sqlc.narg(action_prefix)::text IS NULL OR a.action LIKE sqlc.narg(action_prefix))
  AND (sqlc.narg(subject)::text IS NULL OR a.subject = sqlc.narg(subject))
  AND (sqlc.narg(since)::timestamptz IS NULL OR a.occurred_at >= sqlc.narg(since))
  AND (sqlc.narg(until)::timestamptz IS NULL OR a.occurred_at < sqlc.narg(until))
ORDER BY a.chain_seq DESC
LIMIT @max_rows;

-- name: FindActor :one
-- The audit page's actor filter takes a username; the log stores ids.
SELECT id::text AS actor FROM users WHERE lower(username) = lower(@username);
