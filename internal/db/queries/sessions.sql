-- name: InsertSession :one
INSERT INTO sessions (id, user_id, expires_at, user_agent, remote_addr)
VALUES (@id, @user_id, now() + make_interval(secs => @max_age_seconds::float8), @user_agent, @remote_addr)
RETURNING *;

-- name: GetActiveSession :one
-- A session counts only before both timeouts and while its user is enabled;
-- the database's clock decides, so every replica agrees.
SELECT sqlc.embed(sessions), sqlc.embed(users)
FROM sessions
JOIN users ON users.id = sessions.user_id
WHERE sessions.id = @id
  AND sessions.expires_at > now()
  AND sessions.last_seen_at > now() - make_interval(secs => @idle_seconds::float8)
  AND NOT users.disabled;

-- name: LoadActiveSession :one
-- GetActiveSession and TouchSession in one round trip, for every request:
-- the lookup by primary key, and the touch (at most once a minute) in a
-- data-modifying CTE, which runs whether or not the SELECT reads it. The
-- row returned is as it was before the touch.
WITH touched AS (
    UPDATE sessions SET last_seen_at = now()
    WHERE sessions.id = @id
      AND sessions.last_seen_at < now() - interval '1 minute'
      AND sessions.expires_at > now()
      AND sessions.last_seen_at > now() - make_interval(secs => @idle_seconds::float8)
)
SELECT sqlc.embed(sessions), sqlc.embed(users)
FROM sessions
JOIN users ON users.id = sessions.user_id
WHERE sessions.id = @id
  AND sessions.expires_at > now()
  AND sessions.last_seen_at > now() - make_interval(secs => @idle_seconds::float8)
  AND NOT users.disabled;

-- name: UpdateSessionData :execrows
UPDATE sessions SET data = @data WHERE id = @id;

-- name: DeleteSession :execrows
DELETE FROM sessions WHERE id = @id;

-- name: DeleteUserSession :execrows
DELETE FROM sessions WHERE id = @id AND user_id = @user_id;

-- name: DeleteUserSessions :execrows
DELETE FROM sessions WHERE user_id = @user_id;

-- name: ListUserSessions :many
-- Only live sessions: an expired row signs nobody in and is noise to an admin.
SELECT * FROM sessions
WHERE user_id = @user_id
  AND expires_at > now()
  AND last_seen_at > now() - make_interval(secs => @idle_seconds::float8)
ORDER BY last_seen_at DESC;

-- name: DeleteExpiredSessions :execrows
DELETE FROM sessions
WHERE expires_at <= now()
   OR (user_id = @user_id AND last_seen_at <= now() - make_interval(secs => @idle_seconds::float8));

-- name: SweepSessions :execrows
-- Every session past either timeout, whoever's: the periodic sweep
-- (internal/jobs/maintenance.go) keeps the table to the live ones.
DELETE FROM sessions
WHERE expires_at <= now()
   OR last_seen_at <= now() - make_interval(secs => @idle_seconds::float8);
