-- name: UpsertOrderBill :one
-- A lookup of a succeeded order's bill: found (amounts), waiting or
-- failed. tries counts the lookups.
INSERT INTO order_bills (order_id, status, billed_fen, list_fen, discount_fen, voucher_fen, deals, reason,
                         estimate_fen, differs, tolerance_percent, tries, looked_up_at)
VALUES (@order_id, @status, sqlc.narg(billed_fen), sqlc.narg(list_fen), sqlc.narg(discount_fen), sqlc.narg(voucher_fen),
        @deals, @reason, sqlc.narg(estimate_fen), @differs, @tolerance_percent, 1, now())
ON CONFLICT (order_id) DO UPDATE
SET status = EXCLUDED.status, billed_fen = EXCLUDED.billed_fen, list_fen = EXCLUDED.list_fen,
    discount_fen = EXCLUDED.discount_fen, voucher_fen = EXCLUDED.voucher_fen, deals = EXCLUDED.deals,
    reason = EXCLUDED.reason, estimate_fen = EXCLUDED.estimate_fen, differs = EXCLUDED.differs,
    tolerance_percent = EXCLUDED.tolerance_percent, tries = order_bills.tries + 1, looked_up_at = now()
RETURNING *;

-- name: GetOrderBill :one
SELECT * FROM order_bills WHERE order_id = @order_id;

-- name: ListOrdersToBill :many
-- Succeeded orders whose bill is not found yet, most recent first, within
-- the window (older ones are left: the bill is not coming), at most
-- max_tries lookups each.
SELECT o.id FROM orders o
LEFT JOIN order_bills b ON b.order_id = o.id
WHERE o.status = 'succeeded' AND o.status_changed_at >= @since
  AND (b.order_id IS NULL OR (b.status <> 'found' AND b.tries < @max_tries::int))
ORDER BY o.id DESC
LIMIT 500;

-- name: CountBillsDiffering :one
-- Orders whose billed amount differs from the estimate beyond the
-- tolerance: the admins' home page counts them.
SELECT count(*)::int FROM order_bills WHERE differs;

-- name: ListBillsDiffering :many
SELECT b.order_id, b.billed_fen, b.estimate_fen, o.title
FROM order_bills b JOIN orders o ON o.id = b.order_id
WHERE b.differs
ORDER BY b.looked_up_at DESC
LIMIT @max_rows;

-- name: ListOrderBills :many
-- The bills of several orders, by order id: the orders export's billed
-- amount and flag, read in the export's snapshot.
SELECT * FROM order_bills WHERE order_id = ANY(@order_ids::bigint[]);
