-- name: InsertOrder :one
INSERT INTO orders (product, account_id, region, title, justification, params, params_sha256,
                    purchase_fingerprint, purchase_targets,
                    requester_id, client_token, cloned_from_id, renewal_of_id)
VALUES (@product, @account_id, @region, @title, @justification, @params, @params_sha256,
        @purchase_fingerprint, @purchase_targets::text[],
        @requester_id, sqlc.narg(client_token), sqlc.narg(cloned_from_id), sqlc.narg(renewal_of_id))
RETURNING *;

-- name: GetOrder :one
SELECT * FROM orders WHERE id = @id;

-- name: UpdateOrderContent :one
-- One conditional update: it changes the order only if nobody changed it
-- since the editor loaded it (version) and it is still editable (status).
-- Any edit returns the order to draft with a new version.
UPDATE orders
SET account_id = @account_id, region = @region, title = @title, justification = @justification,
    params = @params, params_sha256 = @params_sha256,
    purchase_fingerprint = @purchase_fingerprint, purchase_targets = @purchase_targets::text[],
    version = version + 1, status = 'draft',
    status_changed_at = CASE WHEN status = 'draft' THEN status_changed_at ELSE now() END,
    updated_at = now()
WHERE id = @id AND version = @version AND status = ANY(@editable::text[])
RETURNING *;

-- name: TransitionOrder :one
-- The state machine's one write: from exactly one status to another.
UPDATE orders
SET status = @to_status, status_changed_at = now(), updated_at = now()
WHERE id = @id AND status = @from_status
RETURNING *;

-- name: DeleteDraftOrder :execrows
DELETE FROM orders WHERE id = @id AND status = 'draft';

-- name: ListOrdersForRequester :many
SELECT * FROM orders
WHERE requester_id = @requester_id AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
ORDER BY id DESC
LIMIT @max_rows;

-- name: ListOrdersByStatus :many
SELECT * FROM orders
WHERE status = @status
ORDER BY id DESC
LIMIT @max_rows;

-- name: ListOrderAccounts :many
-- The accounts an order may be composed for.
SELECT id, name, sandbox FROM tencentcloud_accounts
WHERE NOT disabled
ORDER BY lower(name);

-- name: OrderAccountUsable :one
SELECT EXISTS (SELECT 1 FROM tencentcloud_accounts WHERE id = @id AND NOT disabled);

-- name: UnlinkClones :exec
-- A draft being deleted leaves its clones without a source (the audit log
-- keeps where each came from); otherwise the foreign key would keep a
-- draft nobody wants alive because a colleague once copied it.
UPDATE orders SET cloned_from_id = NULL WHERE cloned_from_id = @id;

-- name: ListPurchaseMatches :many
-- The orders that may already buy what an order buys (the duplicate guard,
-- migration 011): same account and product, and the same purchase
-- fingerprint or a shared target; in flight, unknown or waiting for its
-- deal to be paid (sending, unknown, awaiting_payment), approved, or
-- succeeded within the window, judged by the database's clock.
SELECT o.id, o.title, o.status, o.status_changed_at, o.finished_at,
       (o.purchase_fingerprint = @fingerprint)::boolean AS same_purchase,
       (o.purchase_targets && @targets::text[])::boolean AS same_target
FROM orders o
WHERE o.id <> @exclude_id AND o.account_id = @account_id AND o.product = @product
  AND (o.purchase_fingerprint = @fingerprint OR o.purchase_targets && @targets::text[])
  AND (o.status IN ('sending', 'unknown', 'awaiting_payment', 'approved')
       OR (o.status = 'succeeded'
           AND coalesce(o.finished_at, o.updated_at) > now() - make_interval(secs => @window_seconds::float8)))
ORDER BY o.id;

-- name: SetOrderDelivery :one
-- When the order is to be bought (NULL: as soon as it is sent). The
-- version stays: the date is when, not what was approved.
UPDATE orders
SET deliver_at = sqlc.narg(deliver_at), updated_at = now()
WHERE id = @id AND status IN ('draft', 'pending_approval', 'approved')
RETURNING *;
