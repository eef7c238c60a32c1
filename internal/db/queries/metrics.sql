-- name: CountOrdersInStatus :one
-- Orders in one status, from the kept counts (migration 015), for /metrics.
SELECT (coalesce((SELECT sum(c.n) FROM order_counts c WHERE c.status = @wanted::text), 0)::bigint
     + coalesce((SELECT sum(d.delta) FROM order_count_deltas d WHERE d.status = @wanted::text), 0)::bigint)::bigint AS n;
