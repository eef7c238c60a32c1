-- name: CountLoginAttempt :one
-- Counts one attempt against a key and returns the count in the current
-- window. A window older than window_seconds starts again at 1. The row lock
-- this takes makes concurrent attempts on the same key, on any replica, take
-- turns, so none slips past the limit.
INSERT INTO login_throttle AS t (key, failures, window_start)
VALUES (@key, 1, now())
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::float8)
                    THEN 1 ELSE t.failures + 1 END,
    window_start = CASE WHEN t.window_start <= now() - make_interval(secs => @window_seconds::float8)
                        THEN now() ELSE t.window_start END
RETURNING failures;

-- name: ForgiveLoginAttempt :exec
-- Takes back the attempt counted before a successful sign-in.
UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = @key;

-- name: ClearLoginThrottle :exec
DELETE FROM login_throttle WHERE key = @key;

-- name: DeleteStaleLoginThrottle :exec
DELETE FROM login_throttle
WHERE window_start <= now() - make_interval(secs => @window_seconds::float8);
