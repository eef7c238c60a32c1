-- name: LockInstanceExpiry :one
SELECT * FROM instance_expiries WHERE account_id = @account_id AND target = @target FOR UPDATE;

-- name: UpsertInstanceExpiry :one
INSERT INTO instance_expiries (account_id, product, target, bought_by_order_id, last_order_id, expires_at, auto_renew, term_start)
VALUES (@account_id, @product, @target, @bought_by_order_id, @last_order_id, @expires_at, @auto_renew, @term_start)
ON CONFLICT (account_id, target) DO UPDATE
SET last_order_id = EXCLUDED.last_order_id, expires_at = EXCLUDED.expires_at,
    auto_renew = EXCLUDED.auto_renew, term_start = EXCLUDED.term_start, updated_at = now()
RETURNING *;

-- name: ListDueRenewals :many
-- Instances whose account's lead time before expiry has begun at @now, not
-- renewing automatically, and not yet drafted for this expiry.
SELECT e.* FROM instance_expiries e
JOIN tencentcloud_accounts a ON a.id = e.account_id
WHERE NOT e.auto_renew
  AND e.expires_at > @now::timestamptz
  AND e.expires_at - make_interval(days => a.renewal_lead_days) <= @now::timestamptz
  AND NOT EXISTS (SELECT 1 FROM renewal_drafts d WHERE d.instance_id = e.id AND d.expires_at = e.expires_at)
ORDER BY e.expires_at, e.id
LIMIT @max_rows;

-- name: ClaimRenewalDraft :execrows
INSERT INTO renewal_drafts (instance_id, expires_at, order_id) VALUES (@instance_id, @expires_at, @order_id)
ON CONFLICT (instance_id, expires_at) DO NOTHING;

-- name: ListExpiring :many
-- What expires between @from and @until, with who bought it, its account,
-- cost centre and the renewal drafted for this expiry, if any.
SELECT e.id, e.account_id, a.name AS account_name, e.product, e.target, e.expires_at, e.auto_renew,
       e.bought_by_order_id, e.last_order_id, o.requester_id,
       COALESCE(c.name, '')::text AS cost_centre,
       d.order_id AS renewal_order_id
FROM instance_expiries e
JOIN tencentcloud_accounts a ON a.id = e.account_id
JOIN orders o ON o.id = e.bought_by_order_id
LEFT JOIN order_cost_centres occ ON occ.order_id = e.bought_by_order_id
LEFT JOIN cost_centres c ON c.id = occ.cost_centre_id
LEFT JOIN renewal_drafts d ON d.instance_id = e.id AND d.expires_at = e.expires_at
WHERE e.expires_at >= @since::timestamptz AND e.expires_at < @until::timestamptz
  AND (sqlc.narg(requester_id)::bigint IS NULL OR o.requester_id = sqlc.narg(requester_id))
ORDER BY e.expires_at, e.id
LIMIT @max_rows;

-- name: SetAccountRenewalLeadDays :exec
UPDATE tencentcloud_accounts SET renewal_lead_days = @days WHERE id = @id;
