-- The orders history: one filter, three orders of sorting, each keyset-paged
-- (no OFFSET: the next page starts after the last row shown, so the
-- millionth order costs what the first does). sqlc needs static SQL, so the
-- filter block is written out in each query; keep them identical.
--
-- A NULL filter is no filter. Run these under db.ReadSnapshot, which forces
-- a custom plan: with the values known, Postgres drops the unset filters and
-- picks the index for the ones that are set. search is matched exactly
-- against Tencent Cloud's ids (btree and GIN indexes) and, as title_like (an
-- escaped '%...%' pattern), against titles (the trigram index).

-- name: SearchOrdersNewest :many
SELECT o.id, o.product, o.account_id, a.name AS account_name, o.title, o.status, o.version,
       o.requester_id, u.username AS requester_username, u.display_name AS requester_name,
       o.created_at, o.updated_at, o.status_changed_at, o.outcome, o.request_id, o.deal_names,
       o.big_deal_id, o.instance_ids, o.billing_order_id, o.region, o.params
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
WHERE (sqlc.narg(product)::text IS NULL OR o.product = sqlc.narg(product))
  AND (sqlc.narg(account_id)::bigint IS NULL OR o.account_id = sqlc.narg(account_id))
  AND (sqlc.narg(requester_id)::bigint IS NULL OR o.requester_id = sqlc.narg(requester_id))
  AND (sqlc.narg(approver_id)::bigint IS NULL OR EXISTS (
        SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = sqlc.narg(approver_id)))
  AND (sqlc.narg(since)::timestamptz IS NULL OR o.created_at >= sqlc.narg(since))
  AND (sqlc.narg(until)::timestamptz IS NULL OR o.created_at < sqlc.narg(until))
  AND (sqlc.narg(search)::text IS NULL
       OR o.title ILIKE sqlc.narg(title_like)
       OR o.request_id = sqlc.narg(search) OR o.big_deal_id = sqlc.narg(search)
       OR o.billing_order_id = sqlc.narg(search)
       OR o.deal_names @> ARRAY[sqlc.narg(search)::text] OR o.instance_ids @> ARRAY[sqlc.narg(search)::text])
  AND (sqlc.narg(status)::text IS NULL OR o.status = sqlc.narg(status))
  AND (sqlc.narg(after_id)::bigint IS NULL OR o.id < sqlc.narg(after_id))
ORDER BY o.id DESC
LIMIT @max_rows;

-- name: SearchOrdersOldest :many
SELECT o.id, o.product, o.account_id, a.name AS account_name, o.title, o.status, o.version,
       o.requester_id, u.username AS requester_username, u.display_name AS requester_name,
       o.created_at, o.updated_at, o.status_changed_at, o.outcome, o.request_id, o.deal_names,
       o.big_deal_id, o.instance_ids, o.billing_order_id, o.region, o.params
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
WHERE (sqlc.narg(product)::text IS NULL OR o.product = sqlc.narg(product))
  AND (sqlc.narg(account_id)::bigint IS NULL OR o.account_id = sqlc.narg(account_id))
  AND (sqlc.narg(requester_id)::bigint IS NULL OR o.requester_id = sqlc.narg(requester_id))
  AND (sqlc.narg(approver_id)::bigint IS NULL OR EXISTS (
        SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = sqlc.narg(approver_id)))
  AND (sqlc.narg(since)::timestamptz IS NULL OR o.created_at >= sqlc.narg(since))
  AND (sqlc.narg(until)::timestamptz IS NULL OR o.created_at < sqlc.narg(until))
  AND (sqlc.narg(search)::text IS NULL
       OR o.title ILIKE sqlc.narg(title_like)
       OR o.request_id = sqlc.narg(search) OR o.big_deal_id = sqlc.narg(search)
       OR o.billing_order_id = sqlc.narg(search)
       OR o.deal_names @> ARRAY[sqlc.narg(search)::text] OR o.instance_ids @> ARRAY[sqlc.narg(search)::text])
  AND (sqlc.narg(status)::text IS NULL OR o.status = sqlc.narg(status))
  AND (sqlc.narg(after_id)::bigint IS NULL OR o.id > sqlc.narg(after_id))
ORDER BY o.id
LIMIT @max_rows;

-- name: SearchOrdersUpdated :many
-- Most recently changed first; (updated_at, id) breaks ties so no row is
-- skipped or shown twice between pages.
SELECT o.id, o.product, o.account_id, a.name AS account_name, o.title, o.status, o.version,
       o.requester_id, u.username AS requester_username, u.display_name AS requester_name,
       o.created_at, o.updated_at, o.status_changed_at, o.outcome, o.request_id, o.deal_names,
       o.big_deal_id, o.instance_ids, o.billing_order_id, o.region, o.params
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
WHERE (sqlc.narg(product)::text IS NULL OR o.product = sqlc.narg(product))
  AND (sqlc.narg(account_id)::bigint IS NULL OR o.account_id = sqlc.narg(account_id))
  AND (sqlc.narg(requester_id)::bigint IS NULL OR o.requester_id = sqlc.narg(requester_id))
  AND (sqlc.narg(approver_id)::bigint IS NULL OR EXISTS (
        SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = sqlc.narg(approver_id)))
  AND (sqlc.narg(since)::timestamptz IS NULL OR o.created_at >= sqlc.narg(since))
  AND (sqlc.narg(until)::timestamptz IS NULL OR o.created_at < sqlc.narg(until))
  AND (sqlc.narg(search)::text IS NULL
       OR o.title ILIKE sqlc.narg(title_like)
       OR o.request_id = sqlc.narg(search) OR o.big_deal_id = sqlc.narg(search)
       OR o.billing_order_id = sqlc.narg(search)
       OR o.deal_names @> ARRAY[sqlc.narg(search)::text] OR o.instance_ids @> ARRAY[sqlc.narg(search)::text])
  AND (sqlc.narg(status)::text IS NULL OR o.status = sqlc.narg(status))
  AND (sqlc.narg(after_updated)::timestamptz IS NULL
       OR (o.updated_at, o.id) < (sqlc.narg(after_updated)::timestamptz, sqlc.narg(after_id)::bigint))
ORDER BY o.updated_at DESC, o.id DESC
LIMIT @max_rows;

-- name: CountOrdersByStatusKept :many
-- The counts beside the status filter when only the product, account and
-- requester filters are set: the kept counts (migration 015) and the deltas
-- not yet folded into them, never the orders table.
SELECT status, sum(n)::bigint AS n
FROM (
    SELECT c.status, c.n FROM order_counts c
    WHERE (sqlc.narg(product)::text IS NULL OR c.product = sqlc.narg(product))
      AND (sqlc.narg(account_id)::bigint IS NULL OR c.account_id = sqlc.narg(account_id))
      AND (sqlc.narg(requester_id)::bigint IS NULL OR c.requester_id = sqlc.narg(requester_id))
    UNION ALL
    SELECT d.status, d.delta::bigint FROM order_count_deltas d
    WHERE (sqlc.narg(product)::text IS NULL OR d.product = sqlc.narg(product))
      AND (sqlc.narg(account_id)::bigint IS NULL OR d.account_id = sqlc.narg(account_id))
      AND (sqlc.narg(requester_id)::bigint IS NULL OR d.requester_id = sqlc.narg(requester_id))
) k
GROUP BY status
HAVING sum(n) <> 0;

-- name: CountOrdersByStatusCapped :many
-- The counts beside the status filter for the other filters (a date, an
-- approver, a search): counted from the matching orders, but at most
-- max_rows of them, so a wide filter costs what a narrow one does. When
-- the counts add up to max_rows there may be more.
SELECT m.status, count(*)::bigint AS n
FROM (
    SELECT o.status
    FROM orders o
    WHERE (sqlc.narg(product)::text IS NULL OR o.product = sqlc.narg(product))
      AND (sqlc.narg(account_id)::bigint IS NULL OR o.account_id = sqlc.narg(account_id))
      AND (sqlc.narg(requester_id)::bigint IS NULL OR o.requester_id = sqlc.narg(requester_id))
      AND (sqlc.narg(approver_id)::bigint IS NULL OR EXISTS (
            SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = sqlc.narg(approver_id)))
      AND (sqlc.narg(since)::timestamptz IS NULL OR o.created_at >= sqlc.narg(since))
      AND (sqlc.narg(until)::timestamptz IS NULL OR o.created_at < sqlc.narg(until))
      AND (sqlc.narg(search)::text IS NULL
           OR o.title ILIKE sqlc.narg(title_like)
           OR o.request_id = sqlc.narg(search) OR o.big_deal_id = sqlc.narg(search)
           OR o.billing_order_id = sqlc.narg(search)
           OR o.deal_names @> ARRAY[sqlc.narg(search)::text] OR o.instance_ids @> ARRAY[sqlc.narg(search)::text])
    LIMIT @max_rows
) m
GROUP BY m.status;

-- name: ListAccountNames :many
-- Every account, disabled ones too: old orders name them.
SELECT id, name FROM tencentcloud_accounts ORDER BY lower(name), id;
