-- name: FoldOrderCounts :execrows
-- Moves the deltas the orders triggers appended (migration 015) into the
-- kept counts, in one statement: a reader's snapshot sees each delta in one
-- table or the other, never both or neither. Two folds at once take
-- disjoint deltas (a delta another fold deleted is skipped).
WITH moved AS (
    DELETE FROM order_count_deltas
    RETURNING product, account_id, requester_id, status, delta
), sums AS (
    SELECT product, account_id, requester_id, status, sum(delta)::bigint AS d
    FROM moved GROUP BY product, account_id, requester_id, status
)
INSERT INTO order_counts AS c (product, account_id, requester_id, status, n)
SELECT product, account_id, requester_id, status, d FROM sums WHERE d <> 0
ON CONFLICT (product, account_id, requester_id, status) DO UPDATE SET n = c.n + excluded.n;

-- name: DropEmptyOrderCounts :execrows
-- Groups with no order left (a deleted draft's) go, so the table holds only
-- what exists.
DELETE FROM order_counts WHERE n = 0;
