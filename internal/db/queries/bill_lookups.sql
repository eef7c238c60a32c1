-- name: InsertBillLookup :one
INSERT INTO bill_lookups (order_id, window_start, window_end, deals, calls, proposal, deal_names, big_deal_id, reason)
VALUES (@order_id, @window_start, @window_end, @deals, @calls, @proposal, @deal_names, @big_deal_id, @reason)
RETURNING *;

-- name: TouchBillLookup :exec
UPDATE bill_lookups SET checked_at = now() WHERE id = @id;

-- name: LatestBillLookup :one
SELECT * FROM bill_lookups WHERE order_id = @order_id ORDER BY id DESC LIMIT 1;

-- name: GetBillLookup :one
SELECT * FROM bill_lookups WHERE id = @id;

-- name: ClaimedDeals :many
-- Which of names another order already holds: recorded on it (a WAF
-- answer's DealNames, a settlement's, a billing OrderId) or proposed as
-- bought by its latest lookup while it is still unknown.
SELECT DISTINCT claimed.deal_name::text AS deal_name, claimed.order_id::bigint AS order_id
FROM (
    SELECT unnest(o.deal_names) AS deal_name, o.id AS order_id
    FROM orders o WHERE o.id <> @order_id AND o.deal_names && @names::text[]
    UNION ALL
    SELECT o.billing_order_id, o.id
    FROM orders o WHERE o.id <> @order_id AND o.billing_order_id = ANY (@names::text[])
    UNION ALL
    SELECT unnest(l.deal_names), l.order_id
    FROM bill_lookups l JOIN orders o ON o.id = l.order_id AND o.status = 'unknown'
    WHERE l.order_id <> @order_id AND l.proposal = 'bought' AND l.deal_names && @names::text[]
      AND l.id = (SELECT max(l2.id) FROM bill_lookups l2 WHERE l2.order_id = l.order_id)
) AS claimed
WHERE claimed.deal_name = ANY (@names::text[])
ORDER BY 1, 2;
