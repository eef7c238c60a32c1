-- name: ReserveRateSlot :one
-- Reserves the next slot for key and returns how many seconds to wait for it
-- (zero or negative: go now). clock_timestamp, not now: now() is the start of
-- the transaction, and the slots must follow real time.
INSERT INTO rate_limit_slots AS s (key, next_at)
VALUES (@key, clock_timestamp() + make_interval(secs => @spacing_seconds::float8))
ON CONFLICT (key) DO UPDATE
SET next_at = greatest(s.next_at, clock_timestamp()) + make_interval(secs => @spacing_seconds::float8)
RETURNING (extract(epoch FROM s.next_at - clock_timestamp()) - @spacing_seconds::float8)::float8 AS wait_seconds;

-- name: SweepRateLimitSlots :execrows
-- A key whose next slot opened long ago limits nothing (the reservation
-- above treats a past next_at as now): its row can go, and comes back with
-- the key's next call.
DELETE FROM rate_limit_slots
WHERE next_at < clock_timestamp() - make_interval(secs => @older_than_seconds::float8);
