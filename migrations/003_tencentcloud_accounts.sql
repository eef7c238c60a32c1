-- Tencent Cloud accounts: the company credentials orders are sent with.
-- A SecretKey is stored only sealed (AES-256-GCM under the master key named by
-- secret_key_key_id); the console never shows it again. An account may instead
-- take its keys from the environment (TENCENTCLOUD_SECRET_ID/_KEY).
CREATE TABLE tencentcloud_accounts (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL CHECK (name <> '' AND length(name) <= 100),
    -- key_source: 'stored' keys sealed in this row, or 'environment'.
    key_source           text NOT NULL CHECK (key_source IN ('stored', 'environment')),
    secret_id            text NOT NULL DEFAULT '',
    secret_key_key_id    text NOT NULL DEFAULT '',
    secret_key_nonce     bytea,
    secret_key_sealed    bytea,
    -- An STS token is a secret too, sealed the same way; optional.
    token_key_id         text NOT NULL DEFAULT '',
    token_nonce          bytea,
    token_sealed         bytea,
    disabled             boolean NOT NULL DEFAULT false,
    -- sandbox marks the account make run creates for the built-in sandbox.
    sandbox              boolean NOT NULL DEFAULT false,
    created_by           bigint REFERENCES users (id),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    keys_changed_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (key_source = 'environment'
           OR (secret_id <> '' AND secret_key_key_id <> '' AND secret_key_nonce IS NOT NULL AND secret_key_sealed IS NOT NULL)),
    CHECK ((token_sealed IS NULL) = (token_nonce IS NULL))
);

CREATE UNIQUE INDEX tencentcloud_accounts_name_lower_idx ON tencentcloud_accounts (lower(name));

---- create above / drop below ----

DROP TABLE tencentcloud_accounts;
