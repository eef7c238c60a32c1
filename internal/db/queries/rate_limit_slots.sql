-- name: ReserveRateSlot :one
-- Reserves the next slot for key and returns how many seconds to wait for it
-- (zero or negative: go now). clock_timestamp, not now: now() is the start of
-- the transaction, and the slots must follow real time.
INSERT INTO rate_limit_slots AS s (key, next_at)
VALUES (@key, clock_timestamp() + make_interval(secs => @spacing_seconds::float8))
ON CONFLICT (key) DO UPDATE
SET next_at = greatest(s.next_at, clock_timestamp()) + make_interval(secs => @spacing_seconds::float8)
RETURNING (extract(epoch FROM s.next_at - clock_timestamp()) - @spacing_seconds::float8)::float8 AS wait_seconds;

-- name: TakeRateAllowance :one
-- A generic cell rate (GCRA) on the same table: the key's next_at is its
-- theoretical arrival time. A call is allowed while that time is within
-- burst of now, and only an allowed call moves it; a refused one leaves it
-- as it was and learns how long until one more would fit. One statement,
-- the database's clock: replicas share one budget per key.
WITH cur AS (
    SELECT greatest(coalesce((SELECT r.next_at FROM rate_limit_slots r WHERE r.key = @key), clock_timestamp()), clock_timestamp()) AS tat,
           clock_timestamp() AS now
), upd AS (
    INSERT INTO rate_limit_slots AS s (key, next_at)
    SELECT @key, cur.tat + make_interval(secs => @spacing_seconds::float8) FROM cur
    WHERE cur.tat + make_interval(secs => @spacing_seconds::float8) - cur.now <= make_interval(secs => @burst_seconds::float8)
    ON CONFLICT (key) DO UPDATE
    SET next_at = greatest(s.next_at, clock_timestamp()) + make_interval(secs => @spacing_seconds::float8)
    WHERE greatest(s.next_at, clock_timestamp()) + make_interval(secs => @spacing_seconds::float8) - clock_timestamp()
          <= make_interval(secs => @burst_seconds::float8)
    RETURNING 1
)
SELECT (EXISTS (SELECT 1 FROM upd))::boolean AS allowed,
       greatest(extract(epoch FROM (cur.tat + make_interval(secs => @spacing_seconds::float8) - make_interval(secs => @burst_seconds::float8)) - cur.now), 0)::float8 AS retry_after_seconds
FROM cur;
-- name: SweepRateLimitSlots :execrows
-- A key whose next slot opened long ago limits nothing (the reservation
-- above treats a past next_at as now): its row can go, and comes back with
-- the key's next call.
DELETE FROM rate_limit_slots
WHERE next_at < clock_timestamp() - make_interval(secs => @older_than_seconds::float8);
