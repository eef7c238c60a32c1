-- name: InsertApproval :one
-- The estimate approved is the order's estimate as it stands, read in the
-- deciding transaction under the order's lock (migration 019).
INSERT INTO approvals (order_id, version, params_sha256, approver_id, decision, comment, duplicates_checked, estimate_fen,
                       stage, rule)
VALUES (@order_id, @version, @params_sha256, @approver_id, @decision, @comment, @duplicates_checked::bigint[],
        (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = @order_id), @stage, sqlc.narg(rule))
RETURNING *;

-- name: CountApprovers :one
-- Distinct people who approved exactly this version and hash, at the
-- estimate the order has now: a price change that moved the estimate voids
-- the approvals given before it.
SELECT count(DISTINCT ap.approver_id)::int
FROM approvals ap
WHERE ap.order_id = @order_id AND ap.version = @version AND ap.params_sha256 = @params_sha256 AND ap.decision = 'approve'
  AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = @order_id);

-- name: ListApprovals :many
-- Every decision on an order, all versions, oldest first.
SELECT sqlc.embed(ap), u.username AS approver_username, u.display_name AS approver_name
FROM approvals ap
JOIN users u ON u.id = ap.approver_id
WHERE ap.order_id = @order_id
ORDER BY ap.decided_at, ap.id;

-- name: ListOrderVersions :many
SELECT * FROM order_versions WHERE order_id = @order_id ORDER BY version;

-- name: MarkVersionSubmitted :exec
-- The first submission of a version is the one approvers saw first.
UPDATE order_versions
SET submitted_at = COALESCE(submitted_at, now())
WHERE order_id = @order_id AND version = @version;

-- name: ListWaitingForApprover :many
-- The approvals inbox: orders waiting for approval that this person did not
-- compose and has not decided on at their current version, oldest first.
SELECT sqlc.embed(o), u.display_name AS requester_name, a.name AS account_name,
       (SELECT count(DISTINCT ap.approver_id)::int FROM approvals ap
        WHERE ap.order_id = o.id AND ap.version = o.version AND ap.params_sha256 = o.params_sha256
          AND ap.decision = 'approve'
          AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)) AS approvals,
       oar.rule AS pinned_rule
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
LEFT JOIN order_approval_rules oar ON oar.order_id = o.id
WHERE o.status = 'pending_approval' AND o.requester_id <> @approver_id
  AND NOT EXISTS (SELECT 1 FROM approvals mine
                  WHERE mine.order_id = o.id AND mine.version = o.version AND mine.approver_id = @approver_id
                    AND mine.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id))
ORDER BY o.status_changed_at, o.id
LIMIT @max_rows;

-- name: CountWaitingForApprover :one
-- The navigation's badge: the same condition as ListWaitingForApprover,
-- counted up to max_rows only: the badge is on every page an approver
-- sees, and counting a hundred thousand waiting orders to show "99+"
-- would cost every page a scan of them.
SELECT count(*)::int
FROM (SELECT 1 FROM orders o
      WHERE o.status = 'pending_approval' AND o.requester_id <> @approver_id
        AND NOT EXISTS (SELECT 1 FROM approvals mine
                        WHERE mine.order_id = o.id AND mine.version = o.version AND mine.approver_id = @approver_id
                          AND mine.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id))
      LIMIT @max_rows) w;

-- name: GetOrderNames :one
-- The people-readable names an order's pages and notifications show.
SELECT u.display_name AS requester_name, u.username AS requester_username, a.name AS account_name,
       a.disabled AS account_disabled
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
WHERE o.id = @id;
