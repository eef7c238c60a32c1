-- name: InsertApproval :one
-- The estimate approved is the order's estimate as it stands, read in the
-- deciding transaction under the order's lock (migration 019), and so is
-- the order's approval round (migration 028).
INSERT INTO approvals (order_id, version, params_sha256, approver_id, decision, comment, duplicates_checked, estimate_fen,
                       stage, rule, round)
VALUES (@order_id, @version, @params_sha256, @approver_id, @decision, @comment, @duplicates_checked::bigint[],
        (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = @order_id), @stage, sqlc.narg(rule),
        (SELECT o.approval_round FROM orders o WHERE o.id = @order_id))
RETURNING *;

-- name: CountApprovers :one
-- Distinct people who approved exactly this version and hash, at the
-- estimate the order has now: a price change that moved the estimate voids
-- the approvals given before it.
SELECT count(DISTINCT ap.approver_id)::int
FROM approvals ap
WHERE ap.order_id = @order_id AND ap.version = @version AND ap.params_sha256 = @params_sha256 AND ap.decision = 'approve'
  AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = @order_id)
  AND ap.round = (SELECT o.approval_round FROM orders o WHERE o.id = @order_id);

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
-- compose, has not decided on at their current version and round, and may
-- decide on now: the stage waiting takes anyone or a group of theirs, and
-- the order's pinned rule does not keep them out (admins excluded, the
-- requester's own groups). Oldest first.
SELECT sqlc.embed(o), u.display_name AS requester_name, a.name AS account_name,
       (SELECT count(DISTINCT ap.approver_id)::int FROM approvals ap
        WHERE ap.order_id = o.id AND ap.version = o.version AND ap.params_sha256 = o.params_sha256
          AND ap.decision = 'approve'
          AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)
          AND ap.round = o.approval_round) AS approvals,
       oar.rule AS pinned_rule
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
LEFT JOIN order_approval_rules oar ON oar.order_id = o.id
LEFT JOIN LATERAL (
    -- The stage waiting: the first whose valid approvals (this version,
    -- hash, estimate and round, not older than the rule's validity) are
    -- fewer than it needs; when every stage is full but the order is still
    -- pending, the last (orders.stageCounts says the same).
    SELECT COALESCE((st.value->>'group_id')::bigint, 0) AS group_id
    FROM jsonb_array_elements(oar.rule->'stages') WITH ORDINALITY st(value, n)
    CROSS JOIN LATERAL (
        SELECT count(*) >= (st.value->>'count')::int AS full
        FROM approvals ap
        WHERE ap.order_id = o.id AND ap.version = o.version AND ap.params_sha256 = o.params_sha256
          AND ap.decision = 'approve' AND ap.round = o.approval_round AND ap.stage = st.n
          AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)
          AND (COALESCE((oar.rule->>'valid_for_seconds')::int, 0) <= 0
               OR ap.decided_at + make_interval(secs => (oar.rule->>'valid_for_seconds')::int) > now())) f
    ORDER BY f.full, CASE WHEN f.full THEN -st.n ELSE st.n END
    LIMIT 1) cur ON true
CROSS JOIN (SELECT COALESCE(array_agg(m.group_id), '{}')::bigint[] AS group_ids
            FROM approver_group_members m WHERE m.user_id = @approver_id) v
WHERE o.status = 'pending_approval' AND o.requester_id <> @approver_id
  AND NOT EXISTS (SELECT 1 FROM approvals mine
                  WHERE mine.order_id = o.id AND mine.version = o.version AND mine.approver_id = @approver_id
                    AND mine.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)
                    AND mine.round = o.approval_round)
  AND (oar.rule IS NULL OR (
        NOT (@viewer_is_admin::boolean AND COALESCE((oar.rule->>'exclude_admins')::boolean, false))
        AND NOT (COALESCE((oar.rule->>'separate_requester_groups')::boolean, false)
                 AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(oar.rule->'requester_group_ids', '[]'::jsonb)) rg(id)
                             WHERE rg.id::bigint = ANY (v.group_ids)))
        AND (cur.group_id = 0 OR cur.group_id = ANY (v.group_ids))))
ORDER BY o.status_changed_at, o.id
LIMIT @max_rows;

-- name: CountWaitingForApprover :one
-- The navigation's badge: exactly what ListWaitingForApprover lists,
-- counted up to max_rows only: the badge is on every page an approver
-- sees, and counting a hundred thousand waiting orders to show "99+"
-- would cost every page a scan of them.
SELECT count(*)::int
FROM (SELECT 1 FROM orders o
      LEFT JOIN order_approval_rules oar ON oar.order_id = o.id
      LEFT JOIN LATERAL (
          -- The stage waiting: the first whose valid approvals (this version,
          -- hash, estimate and round, not older than the rule's validity) are
          -- fewer than it needs; when every stage is full but the order is still
          -- pending, the last (orders.stageCounts says the same).
          SELECT COALESCE((st.value->>'group_id')::bigint, 0) AS group_id
          FROM jsonb_array_elements(oar.rule->'stages') WITH ORDINALITY st(value, n)
          CROSS JOIN LATERAL (
              SELECT count(*) >= (st.value->>'count')::int AS full
              FROM approvals ap
              WHERE ap.order_id = o.id AND ap.version = o.version AND ap.params_sha256 = o.params_sha256
                AND ap.decision = 'approve' AND ap.round = o.approval_round AND ap.stage = st.n
                AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)
                AND (COALESCE((oar.rule->>'valid_for_seconds')::int, 0) <= 0
                     OR ap.decided_at + make_interval(secs => (oar.rule->>'valid_for_seconds')::int) > now())) f
          ORDER BY f.full, CASE WHEN f.full THEN -st.n ELSE st.n END
          LIMIT 1) cur ON true
      CROSS JOIN (SELECT COALESCE(array_agg(m.group_id), '{}')::bigint[] AS group_ids
                  FROM approver_group_members m WHERE m.user_id = @approver_id) v
      WHERE o.status = 'pending_approval' AND o.requester_id <> @approver_id
        AND NOT EXISTS (SELECT 1 FROM approvals mine
                        WHERE mine.order_id = o.id AND mine.version = o.version AND mine.approver_id = @approver_id
                          AND mine.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = o.id)
                          AND mine.round = o.approval_round)
        AND (oar.rule IS NULL OR (
              NOT (@viewer_is_admin::boolean AND COALESCE((oar.rule->>'exclude_admins')::boolean, false))
              AND NOT (COALESCE((oar.rule->>'separate_requester_groups')::boolean, false)
                       AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(COALESCE(oar.rule->'requester_group_ids', '[]'::jsonb)) rg(id)
                                   WHERE rg.id::bigint = ANY (v.group_ids)))
              AND (cur.group_id = 0 OR cur.group_id = ANY (v.group_ids))))
      LIMIT @max_rows) w;

-- name: GetOrderNames :one
-- The people-readable names an order's pages and notifications show.
SELECT u.display_name AS requester_name, u.username AS requester_username, a.name AS account_name,
       a.disabled AS account_disabled
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
WHERE o.id = @id;
