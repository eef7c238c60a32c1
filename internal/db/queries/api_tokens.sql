-- name: InsertAPIToken :one
INSERT INTO api_tokens (kind, user_id, created_by, name, token_sha256, prefix, scopes, expires_at)
VALUES (@kind, @user_id, @created_by, @name, @token_sha256, @prefix, @scopes, @expires_at)
RETURNING *;

-- name: GetLiveAPIToken :one
-- A token counts only before its expiry and revocation and while its user
-- is enabled; the database's clock decides, so every replica agrees.
SELECT sqlc.embed(api_tokens), sqlc.embed(users)
FROM api_tokens
JOIN users ON users.id = api_tokens.user_id
WHERE api_tokens.token_sha256 = @token_sha256
  AND api_tokens.revoked_at IS NULL
  AND api_tokens.expires_at > now()
  AND NOT users.disabled;

-- name: TouchAPIToken :exec
-- Writes at most once a minute per token: "last used" is for people
-- deciding which tokens to revoke, and a write per call would be waste.
UPDATE api_tokens SET last_used_at = now()
WHERE id = @id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');

-- name: GetAPIToken :one
SELECT * FROM api_tokens WHERE id = @id;

-- name: ListAPITokensOfUser :many
SELECT * FROM api_tokens
WHERE user_id = @user_id AND kind = 'personal'
ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC;

-- name: ListServiceAPITokens :many
SELECT * FROM api_tokens
WHERE kind = 'service'
ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC;

-- name: RevokeAPIToken :one
UPDATE api_tokens SET revoked_at = now(), revoked_by = @revoked_by
WHERE id = @id AND revoked_at IS NULL
RETURNING *;

-- name: ClaimIdempotencyKey :one
-- Claims key for the order just inserted in this transaction. A concurrent
-- claim of the same key waits for this transaction; if that one commits,
-- this returns no row and the caller rolls its order back.
INSERT INTO api_idempotency_keys (user_id, key, request_sha256, order_id)
VALUES (@user_id, @key, @request_sha256, @order_id)
ON CONFLICT (user_id, key) DO NOTHING
RETURNING order_id;

-- name: GetIdempotencyKey :one
SELECT * FROM api_idempotency_keys WHERE user_id = @user_id AND key = @key;
