-- name: ListCostCentres :many
SELECT * FROM cost_centres ORDER BY retired, lower(name), id;

-- name: InsertCostCentre :one
INSERT INTO cost_centres (name, created_by) VALUES (@name, @created_by) RETURNING *;

-- name: SetCostCentreRetired :one
UPDATE cost_centres SET retired = @retired WHERE id = @id RETURNING *;

-- name: GetCostCentre :one
SELECT * FROM cost_centres WHERE id = @id;

-- name: SetOrderCostCentre :exec
INSERT INTO order_cost_centres (order_id, cost_centre_id) VALUES (@order_id, @cost_centre_id)
ON CONFLICT (order_id) DO UPDATE SET cost_centre_id = EXCLUDED.cost_centre_id;

-- name: ClearOrderCostCentre :exec
DELETE FROM order_cost_centres WHERE order_id = @order_id;

-- name: ListOrderCostCentres :many
SELECT occ.order_id, occ.cost_centre_id, c.name
FROM order_cost_centres occ JOIN cost_centres c ON c.id = occ.cost_centre_id
WHERE occ.order_id = ANY(@order_ids::bigint[]);

-- name: InsertBudget :one
INSERT INTO budgets (account_id, cost_centre_id, period, limit_fen, block_over_budget, created_by)
VALUES (@account_id, sqlc.narg(cost_centre_id), @period, @limit_fen, @block_over_budget, @created_by)
RETURNING *;

-- name: UpdateBudget :one
UPDATE budgets SET limit_fen = @limit_fen, block_over_budget = @block_over_budget, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: DeleteBudget :one
DELETE FROM budgets WHERE id = @id RETURNING *;

-- name: LockBudget :one
SELECT * FROM budgets WHERE id = @id FOR UPDATE;

-- name: LockBudgetsOf :many
-- The budgets the order counts against (its account's own, and its cost
-- centre's), locked in id order so two approvals cannot deadlock on them.
-- The approval counts their use after this, so concurrent approvals of
-- one budget take turns.
SELECT id FROM budgets
WHERE account_id = @account_id
  AND (cost_centre_id IS NULL
       OR cost_centre_id = (SELECT occ.cost_centre_id FROM order_cost_centres occ WHERE occ.order_id = @order_id))
ORDER BY id
FOR UPDATE;

-- name: BudgetUses :many
-- Budgets with what they hold in their current period (Beijing time):
-- spent is what orders that succeeded in the period cost (billed, or the
-- estimate until billed); committed is the estimates of orders approved,
-- being sent, unknown or awaiting payment (money promised, not yet on the
-- bill); requested is the estimates of orders pending approval; unpriced
-- counts the orders among those with no amount at all. The order
-- except_order_id is left out of every sum, so a caller can add it itself,
-- and when set only that order's budgets are read (its account's own and
-- its cost centre's). Budgets are those of account_ids, or, when
-- budget_ids is not empty, only those.
SELECT b.id, b.account_id, b.cost_centre_id, b.period, b.limit_fen, b.block_over_budget,
       b.created_at, b.updated_at,
       a.name AS account_name, COALESCE(c.name, '')::text AS cost_centre_name,
       p.period_start::timestamptz AS period_start, p.period_end::timestamptz AS period_end,
       u.spent_fen::bigint AS spent_fen, u.committed_fen::bigint AS committed_fen,
       u.requested_fen::bigint AS requested_fen, u.unpriced::int AS unpriced
FROM budgets b
JOIN tencentcloud_accounts a ON a.id = b.account_id
LEFT JOIN cost_centres c ON c.id = b.cost_centre_id
CROSS JOIN LATERAL (
    SELECT (date_trunc(b.period, now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS period_start,
           ((date_trunc(b.period, now() AT TIME ZONE 'Asia/Shanghai') + ('1 ' || b.period)::interval) AT TIME ZONE 'Asia/Shanghai') AS period_end
) p
CROSS JOIN LATERAL (
    SELECT COALESCE(sum(COALESCE(ob.billed_fen, e.estimate_fen)) FILTER (WHERE o.status = 'succeeded'), 0) AS spent_fen,
           COALESCE(sum(e.estimate_fen) FILTER (WHERE o.status IN ('approved', 'sending', 'unknown', 'awaiting_payment')), 0) AS committed_fen,
           COALESCE(sum(e.estimate_fen) FILTER (WHERE o.status = 'pending_approval'), 0) AS requested_fen,
           count(*) FILTER (WHERE ob.billed_fen IS NULL AND e.estimate_fen IS NULL) AS unpriced
    FROM orders o
    LEFT JOIN order_estimates e ON e.order_id = o.id
    LEFT JOIN order_bills ob ON ob.order_id = o.id
    LEFT JOIN order_cost_centres occ ON occ.order_id = o.id
    WHERE o.account_id = b.account_id
      AND (b.cost_centre_id IS NULL OR occ.cost_centre_id = b.cost_centre_id)
      AND o.id <> @except_order_id::bigint
      AND (o.status IN ('pending_approval', 'approved', 'sending', 'unknown', 'awaiting_payment')
           OR (o.status = 'succeeded' AND o.status_changed_at >= p.period_start AND o.status_changed_at < p.period_end))
) u
WHERE b.account_id = ANY(@account_ids::bigint[])
  AND (@except_order_id::bigint = 0 OR b.cost_centre_id IS NULL
       OR b.cost_centre_id = (SELECT occ2.cost_centre_id FROM order_cost_centres occ2 WHERE occ2.order_id = @except_order_id::bigint))
  AND (cardinality(@budget_ids::bigint[]) = 0 OR b.id = ANY(@budget_ids::bigint[]))
ORDER BY a.name, b.account_id, c.name NULLS FIRST, b.period, b.id;

-- name: ListBudgetAccountIDs :many
SELECT DISTINCT account_id FROM budgets ORDER BY account_id;

-- name: SpendOrders :many
-- What an account (one cost centre's orders of it, when cost_centre_id is
-- not 0) spent since a time: its orders that succeeded since then, each
-- at its billed amount, else its estimate (NULL: neither is known).
SELECT o.id, o.title, o.product, o.status_changed_at AS bought_at,
       COALESCE(b.billed_fen, e.estimate_fen) AS amount_fen,
       b.billed_fen, e.estimate_fen, COALESCE(b.differs, false)::boolean AS differs,
       COALESCE(c.name, '')::text AS cost_centre
FROM orders o
LEFT JOIN order_estimates e ON e.order_id = o.id
LEFT JOIN order_bills b ON b.order_id = o.id AND b.status = 'found'
LEFT JOIN order_cost_centres occ ON occ.order_id = o.id
LEFT JOIN cost_centres c ON c.id = occ.cost_centre_id
WHERE o.account_id = @account_id AND o.status = 'succeeded' AND o.status_changed_at >= @since
  AND (@cost_centre_id::bigint = 0 OR occ.cost_centre_id = @cost_centre_id::bigint)
ORDER BY o.status_changed_at, o.id
LIMIT 10000;
