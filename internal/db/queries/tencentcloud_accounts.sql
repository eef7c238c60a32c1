-- name: NextTencentCloudAccountID :one
-- Reserves the id of an account about to be inserted. The id is sealed into
-- the account's ciphertexts (their context), so it must be known before the
-- row is written; a rolled-back insert leaves only a gap in the sequence.
SELECT nextval(pg_get_serial_sequence('tencentcloud_accounts', 'id'))::bigint AS id;

-- name: InsertTencentCloudAccount :one
INSERT INTO tencentcloud_accounts (
    id, name, key_source, secret_id,
    secret_key_key_id, secret_key_nonce, secret_key_sealed,
    token_key_id, token_nonce, token_sealed,
    sandbox, created_by
)
OVERRIDING SYSTEM VALUE
VALUES (
    @id, @name, @key_source, @secret_id,
    @secret_key_key_id, @secret_key_nonce, @secret_key_sealed,
    @token_key_id, @token_nonce, @token_sealed,
    @sandbox, @created_by
)
RETURNING *;

-- name: GetTencentCloudAccount :one
SELECT * FROM tencentcloud_accounts WHERE id = @id;

-- name: GetTencentCloudAccountForUpdate :one
SELECT * FROM tencentcloud_accounts WHERE id = @id FOR UPDATE;

-- name: ListTencentCloudAccounts :many
SELECT * FROM tencentcloud_accounts ORDER BY lower(name), id;

-- name: ListSealedTencentCloudAccountIDs :many
-- Accounts holding a ciphertext sealed under a key other than @key_id.
SELECT id FROM tencentcloud_accounts
WHERE (secret_key_sealed IS NOT NULL AND secret_key_key_id <> @key_id)
   OR (token_sealed IS NOT NULL AND token_key_id <> @key_id)
ORDER BY id;

-- name: UpdateTencentCloudAccountKeys :one
-- New keys, and with them a new key source: replacing the keys of an
-- account that read them from the environment stores them from now on.
UPDATE tencentcloud_accounts
SET key_source = @key_source, secret_id = @secret_id,
    secret_key_key_id = @secret_key_key_id, secret_key_nonce = @secret_key_nonce, secret_key_sealed = @secret_key_sealed,
    token_key_id = @token_key_id, token_nonce = @token_nonce, token_sealed = @token_sealed,
    keys_changed_at = now(), updated_at = now()
WHERE id = @id
RETURNING *;

-- name: ResealTencentCloudAccount :one
-- The same keys sealed under another master key: not a change of keys, so
-- keys_changed_at stays.
UPDATE tencentcloud_accounts
SET secret_key_key_id = @secret_key_key_id, secret_key_nonce = @secret_key_nonce, secret_key_sealed = @secret_key_sealed,
    token_key_id = @token_key_id, token_nonce = @token_nonce, token_sealed = @token_sealed,
    updated_at = now()
WHERE id = @id
RETURNING *;

-- name: UpdateTencentCloudAccountDisabled :one
UPDATE tencentcloud_accounts
SET disabled = @disabled, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: FirstSandboxTencentCloudAccount :one
SELECT * FROM tencentcloud_accounts WHERE sandbox ORDER BY id LIMIT 1;
