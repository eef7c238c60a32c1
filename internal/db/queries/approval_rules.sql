-- name: ListApprovalRules :many
-- A policy's rules in order.
SELECT * FROM approval_rules WHERE policy_id = @policy_id ORDER BY position;

-- name: ListApprovalRuleStages :many
-- The stages of a policy's rules, with their groups' names.
SELECT s.rule_id, s.position, COALESCE(s.group_id, 0)::bigint AS group_id, COALESCE(g.name, '')::text AS group_name, s.count
FROM approval_rule_stages s
JOIN approval_rules r ON r.id = s.rule_id
LEFT JOIN approver_groups g ON g.id = s.group_id
WHERE r.policy_id = @policy_id
ORDER BY s.rule_id, s.position;

-- name: GetApprovalRule :one
SELECT * FROM approval_rules WHERE id = @id;

-- name: NextApprovalRulePosition :one
SELECT (COALESCE(max(position), 0) + 1)::int FROM approval_rules WHERE policy_id = @policy_id;

-- name: InsertApprovalRule :one
INSERT INTO approval_rules (policy_id, position, name, condition, auto_send, separate_requester_groups, exclude_admins, valid_for_seconds)
VALUES (@policy_id, @position, @name, @condition, @auto_send, @separate_requester_groups, @exclude_admins, sqlc.narg(valid_for_seconds))
RETURNING id;

-- name: UpdateApprovalRule :execrows
UPDATE approval_rules
SET name = @name, condition = @condition, auto_send = @auto_send, separate_requester_groups = @separate_requester_groups,
    exclude_admins = @exclude_admins, valid_for_seconds = sqlc.narg(valid_for_seconds)
WHERE id = @id;

-- name: DeleteApprovalRule :execrows
DELETE FROM approval_rules WHERE id = @id;

-- name: CloseApprovalRuleGap :exec
-- After a delete: the rules below move up one.
UPDATE approval_rules SET position = position - 1 WHERE policy_id = @policy_id AND position > @position;

-- name: SetApprovalRulePosition :exec
UPDATE approval_rules SET position = @position WHERE id = @id;

-- name: DeleteApprovalRuleStages :exec
DELETE FROM approval_rule_stages WHERE rule_id = @rule_id;

-- name: InsertApprovalRuleStage :exec
INSERT INTO approval_rule_stages (rule_id, position, group_id, count)
VALUES (@rule_id, @position, sqlc.narg(group_id), @count);

-- name: BumpPolicyRulesVersion :execrows
UPDATE approval_policies SET rules_version = rules_version + 1, updated_at = now() WHERE id = @id;

-- name: GetOrderApprovalRule :one
SELECT * FROM order_approval_rules WHERE order_id = @order_id;

-- name: PinOrderApprovalRule :exec
-- The rule is fixed at every submission: the one in force then.
INSERT INTO order_approval_rules (order_id, version, rule) VALUES (@order_id, @version, @rule)
ON CONFLICT (order_id) DO UPDATE SET version = EXCLUDED.version, rule = EXCLUDED.rule, pinned_at = now();

-- name: ListCountingApprovals :many
-- The approvals that count now: this version and hash, at the order's
-- current estimate, in its current round (approvals that expired and sent
-- it back for approval no longer count), with the stage each counted in.
SELECT ap.approver_id, ap.stage, ap.decided_at
FROM approvals ap
WHERE ap.order_id = @order_id AND ap.version = @version AND ap.params_sha256 = @params_sha256 AND ap.decision = 'approve'
  AND ap.estimate_fen IS NOT DISTINCT FROM (SELECT e.estimate_fen FROM order_estimates e WHERE e.order_id = @order_id)
  AND ap.round = (SELECT o.approval_round FROM orders o WHERE o.id = @order_id)
ORDER BY ap.decided_at, ap.id;

-- name: GetApprovalContext :one
-- What an order's approval page needs beside the order, in one statement:
-- the names it shows, the rule the order is pinned to, and the viewer's
-- groups (to judge which stage they may decide in).
SELECT u.display_name AS requester_name, u.username AS requester_username, a.name AS account_name,
       a.disabled AS account_disabled, oar.rule AS pinned_rule,
       COALESCE((SELECT array_agg(g.id ORDER BY g.name) FROM approver_group_members m
                 JOIN approver_groups g ON g.id = m.group_id WHERE m.user_id = @viewer_id), '{}')::bigint[] AS viewer_group_ids,
       COALESCE((SELECT array_agg(g.name ORDER BY g.name) FROM approver_group_members m
                 JOIN approver_groups g ON g.id = m.group_id WHERE m.user_id = @viewer_id), '{}')::text[] AS viewer_group_names
FROM orders o
JOIN users u ON u.id = o.requester_id
JOIN tencentcloud_accounts a ON a.id = o.account_id
LEFT JOIN order_approval_rules oar ON oar.order_id = o.id
WHERE o.id = @id;

-- name: ListApprovedWithExpiry :many
-- The approved orders whose pinned rule lets approvals expire: what the
-- periodic expiry pass looks at (each is judged again under its lock).
SELECT o.id
FROM orders o
JOIN order_approval_rules oar ON oar.order_id = o.id
WHERE o.status = 'approved' AND COALESCE((oar.rule->>'valid_for_seconds')::int, 0) > 0
ORDER BY o.id
LIMIT @max_rows;

-- name: LapseOrderApprovals :execrows
-- The approvals of an approved order expired: a new round begins, in which
-- none of them counts, and the order remembers when and for which version.
UPDATE orders
SET approval_round = approval_round + 1, approval_expired_at = @expired_at::timestamptz, approval_expired_version = version
WHERE id = @id AND status = 'approved';

-- name: InsertApprovalExpiryWarning :execrows
-- Once per order, version and round: a pass that finds the row already
-- there (another replica's, an earlier pass's) warns nobody again.
INSERT INTO approval_expiry_warnings (order_id, version, round, expires_at)
VALUES (@order_id, @version, @round, @expires_at)
ON CONFLICT DO NOTHING;
