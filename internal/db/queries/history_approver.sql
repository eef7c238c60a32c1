-- The orders history filtered by approver ("orders this person decided
-- on"). The general queries (history.sql) test this filter as
-- "@approver_id IS NULL OR EXISTS (...)": under an OR, Postgres never turns
-- the EXISTS into a semi-join, and runs it as a hashed subplan that reads
-- every approval the person ever gave (700,000 of a million orders in the
-- benchmark) on every page, and the capped count then reads orders
-- sequentially until it has found enough. Here the EXISTS stands on its
-- own, so the planner joins approvals_approver_idx (approver_id, order_id)
-- with the orders' own order: a page reads what it shows (issue 21).

-- name: SearchOrdersByApproverNewest :many
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
  AND EXISTS (SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = @approver_id)
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

-- name: SearchOrdersByApproverOldest :many
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
  AND EXISTS (SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = @approver_id)
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

-- name: SearchOrdersByApproverUpdated :many
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
  AND EXISTS (SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = @approver_id)
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

-- name: CountOrdersByStatusByApprover :many
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
      AND EXISTS (SELECT 1 FROM approvals ap WHERE ap.order_id = o.id AND ap.approver_id = @approver_id)
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
