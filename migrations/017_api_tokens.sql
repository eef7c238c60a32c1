-- The JSON API (/api/v1) authenticates with bearer tokens, never cookies.
--
-- A personal token acts for the person who made it, with scopes narrower
-- than their roles (read, compose, approve). A service token is made by an
-- admin for automation; it acts as a user of its own (created with it, with
-- a password nobody knows) holding the role set the admin chose, and it can
-- never approve. Only the sha256 of a token is stored: a copy of this table
-- authenticates nobody.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('personal', 'service')),
    -- user_id is who the token acts as: its maker (personal) or its own
    -- service user (service).
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$'),
    token_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(token_sha256) = 32),
    -- prefix is the token's first characters, so people can tell tokens
    -- apart in lists and logs; it is far too short to guess the rest from.
    prefix       text NOT NULL CHECK (length(prefix) BETWEEN 8 AND 16),
    scopes       text[] NOT NULL
                 CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'compose', 'approve']::text[]),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    CHECK (expires_at > created_at),
    -- A service token never approves, whatever its user's roles say.
    CHECK (kind = 'personal' OR NOT ('approve' = ANY (scopes)))
);

-- One live token per name and owner, so a name in the audit log is one token.
CREATE UNIQUE INDEX api_tokens_name_idx ON api_tokens (user_id, lower(name)) WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_created_by_idx ON api_tokens (created_by);

-- An Idempotency-Key on POST /api/v1/orders makes a retried create one
-- order: the key is stored with the order in the order's own transaction,
-- and a second create with the same key (per user) gets that order back.
-- request_sha256 is the body it came with: the same key with another body
-- is refused, not silently answered with the first order.
CREATE TABLE api_idempotency_keys (
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key            text NOT NULL CHECK (key ~ '^[\x21-\x7e]{1,200}$'),
    request_sha256 text NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
    order_id       bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

CREATE INDEX api_idempotency_keys_order_idx ON api_idempotency_keys (order_id);

---- create above / drop below ----

DROP TABLE api_idempotency_keys;
DROP TABLE api_tokens;
