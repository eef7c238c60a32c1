-- name: LatestPriceListVersion :one
SELECT * FROM price_list_versions ORDER BY id DESC LIMIT 1;

-- name: ListPriceEntries :many
-- One version's whole list, in a stable order for pages and exports.
SELECT * FROM price_list_entries
WHERE version_id = @version_id
ORDER BY line, item, effective_from;

-- name: InsertPriceListVersion :one
INSERT INTO price_list_versions (created_by, note)
VALUES (@created_by, @note)
RETURNING *;

-- name: InsertPriceEntry :exec
INSERT INTO price_list_entries (version_id, line, item, monthly_fen, effective_from)
VALUES (@version_id, @line, @item, @monthly_fen, @effective_from);

-- name: UpsertOrderEstimate :exec
INSERT INTO order_estimates (order_id, estimate_fen, price_list_version, lines, computed_at)
VALUES (@order_id, @estimate_fen, @price_list_version, @lines, now())
ON CONFLICT (order_id) DO UPDATE
SET estimate_fen = EXCLUDED.estimate_fen, price_list_version = EXCLUDED.price_list_version,
    lines = EXCLUDED.lines, computed_at = EXCLUDED.computed_at;

-- name: GetOrderEstimate :one
SELECT * FROM order_estimates WHERE order_id = @order_id;

-- name: EstimateIsCurrent :one
-- Whether an order's stored estimate is what the list in force would give
-- today: made from the latest version, and no entry of that version took
-- effect after the (UTC) day it was computed, up to today. The sender's
-- last look reads this one row instead of the whole list, and writes
-- nothing when it holds.
SELECT (e.price_list_version = v.id AND NOT EXISTS (
          SELECT 1 FROM price_list_entries pe
          WHERE pe.version_id = v.id
            AND pe.effective_from > (e.computed_at AT TIME ZONE 'UTC')::date
            AND pe.effective_from <= @today::date))::bool AS current
FROM order_estimates e
CROSS JOIN (SELECT id FROM price_list_versions ORDER BY id DESC LIMIT 1) v
WHERE e.order_id = @order_id;

-- name: ListOrderEstimates :many
SELECT * FROM order_estimates WHERE order_id = ANY(@order_ids::bigint[]);

-- name: ListOrdersToReprice :many
-- Orders whose estimate is part of a decision still to come or still to be
-- sent: those a price change may move. Locked in id order, as every path
-- that locks several orders does, so two repricings cannot deadlock.
SELECT id FROM orders
WHERE status IN ('draft', 'pending_approval', 'approved')
ORDER BY id;

-- name: CommittedForAccount :one
-- What an account has approved and not yet sent (or is sending now):
-- the sum of those orders' estimates, and how many have no estimate. The
-- funds check sets it against the balance.
SELECT COALESCE(sum(e.estimate_fen), 0)::bigint AS committed_fen,
       count(*) FILTER (WHERE e.estimate_fen IS NULL)::int AS unpriced
FROM orders o
LEFT JOIN order_estimates e ON e.order_id = o.id
WHERE o.account_id = @account_id AND o.status IN ('approved', 'sending') AND o.id <> @except_order_id;
