-- name: GetWebhookSecret :one
SELECT * FROM webhook_secrets WHERE policy_id = @policy_id;

-- name: LockWebhookSecret :one
SELECT * FROM webhook_secrets WHERE policy_id = @policy_id FOR UPDATE;

-- name: ListWebhookSecretsToReseal :many
-- The policies whose signing secret is sealed under a key other than the
-- current one (`console accounts reseal`).
SELECT policy_id FROM webhook_secrets WHERE key_id <> @current_key_id::text ORDER BY policy_id;

-- name: UpsertWebhookSecret :exec
INSERT INTO webhook_secrets (policy_id, key_id, nonce, sealed)
VALUES (@policy_id, @key_id, @nonce, @sealed)
ON CONFLICT (policy_id) DO UPDATE
SET key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, sealed = EXCLUDED.sealed, updated_at = now();

-- name: DeleteWebhookSecret :execrows
DELETE FROM webhook_secrets WHERE policy_id = @policy_id;

-- name: ListNotificationPreferences :many
SELECT event, channel FROM notification_preferences WHERE user_id = @user_id ORDER BY event;

-- name: UpsertNotificationPreference :exec
INSERT INTO notification_preferences (user_id, event, channel)
VALUES (@user_id, @event, @channel)
ON CONFLICT (user_id, event) DO UPDATE SET channel = EXCLUDED.channel, updated_at = now();

-- name: NoticeRecipients :many
-- The people an event reaches by e-mail: enabled, with an address, named
-- (the requester) or holding one of the roles (approvers, admins), less
-- those excluded (who decided), unless they turned the event off.
SELECT u.id, u.email, u.display_name
FROM users u
LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.event = @event
WHERE NOT u.disabled AND u.email <> ''
  AND COALESCE(p.channel, 'email') = 'email'
  AND (u.id = ANY(@user_ids::bigint[]) OR u.roles && @roles::text[])
  AND NOT (u.id = ANY(@exclude::bigint[]))
ORDER BY u.id;

-- name: InsertDelivery :one
INSERT INTO deliveries (order_id, event, channel, policy_id, user_id, notice, reminder)
VALUES (sqlc.narg(order_id), @event, @channel, sqlc.narg(policy_id), sqlc.narg(user_id), @notice, @reminder)
RETURNING id;

-- name: DeleteDelivery :exec
DELETE FROM deliveries WHERE id = @id;

-- name: GetDelivery :one
SELECT * FROM deliveries WHERE id = @id;

-- name: RecordDeliveryAttempt :exec
-- One attempt's end: delivered, retrying (River will try again) or failed
-- (River gave up), with its error.
UPDATE deliveries
-- A delivery keeps the error of the attempt before it: why it took more
-- than one.
SET attempts = attempts + 1, status = @status, attempted_at = now(),
    last_error = CASE WHEN @status = 'delivered' THEN last_error ELSE left(@last_error::text, 1000) END,
    delivered_at = CASE WHEN @status = 'delivered' THEN now() ELSE delivered_at END
WHERE id = @id;

-- name: RequeueDelivery :execrows
UPDATE deliveries SET status = 'queued' WHERE id = @id;

-- name: ListDeliveries :many
-- The newest deliveries first, before the cursor (0: from the newest), with
-- the policy's product and account, or the person's name.
SELECT d.id, d.order_id, d.event, d.channel, d.policy_id, d.user_id, d.reminder, d.status, d.attempts,
       d.last_error, d.created_at, d.attempted_at, d.delivered_at,
       COALESCE(p.webhook_format, '')::text AS webhook_format,
       COALESCE(u.display_name, '')::text AS user_name
FROM deliveries d
LEFT JOIN approval_policies p ON p.id = d.policy_id
LEFT JOIN users u ON u.id = d.user_id
WHERE (@before::bigint = 0 OR d.id < @before::bigint)
ORDER BY d.id DESC
LIMIT @lim;
