-- name: ListApprovalPolicies :many
-- Every policy, product-wide ones first, with the account's name.
SELECT sqlc.embed(p), COALESCE(a.name, '')::text AS account_name
FROM approval_policies p
LEFT JOIN tencentcloud_accounts a ON a.id = p.account_id
ORDER BY p.product, p.account_id NULLS FIRST, lower(a.name);

-- name: GetApprovalPolicy :one
SELECT sqlc.embed(p), COALESCE(a.name, '')::text AS account_name
FROM approval_policies p
LEFT JOIN tencentcloud_accounts a ON a.id = p.account_id
WHERE p.id = @id;

-- name: ApprovalPoliciesFor :many
-- The policies that may govern an order: the account's own and the
-- product's. Which one wins is decided in Go (orders.resolvePolicy).
SELECT sqlc.embed(p), COALESCE(a.name, '')::text AS account_name
FROM approval_policies p
LEFT JOIN tencentcloud_accounts a ON a.id = p.account_id
WHERE p.product = @product AND (p.account_id = @account_id OR p.account_id IS NULL);

-- name: InsertApprovalPolicy :one
INSERT INTO approval_policies (product, account_id, required_approvers, auto_send, webhook_url, webhook_format)
VALUES (@product, sqlc.narg(account_id), @required_approvers, @auto_send, @webhook_url, @webhook_format)
RETURNING id;

-- name: UpdateApprovalPolicy :execrows
UPDATE approval_policies
SET product = @product, account_id = sqlc.narg(account_id), required_approvers = @required_approvers,
    auto_send = @auto_send, webhook_url = @webhook_url, webhook_format = @webhook_format, updated_at = now()
WHERE id = @id;

-- name: DeleteApprovalPolicy :execrows
DELETE FROM approval_policies WHERE id = @id;
