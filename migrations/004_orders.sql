-- Orders: one purchase each, from draft to its settled outcome.
--
-- params holds the canonical JSON body (orders.Canonical) byte for byte: the
-- json type keeps the text exactly as written, where jsonb would reorder it.
-- params_sha256 must be the sha256 of those bytes, checked here as well as in
-- Go, because approvals pin that hash and the sender re-checks it.
CREATE TABLE orders (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product           text NOT NULL CHECK (product IN ('waf', 'billing', 'tcb')),
    account_id        bigint NOT NULL REFERENCES tencentcloud_accounts (id),
    -- region is the X-TC-Region common parameter; '' for actions without one.
    region            text NOT NULL DEFAULT '',
    title             text NOT NULL CHECK (title <> '' AND length(title) <= 200),
    justification     text NOT NULL CHECK (justification <> '' AND length(justification) <= 4000),
    params            json NOT NULL,
    params_sha256     text NOT NULL CHECK (params_sha256 ~ '^[0-9a-f]{64}$'),
    version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN (
                          'draft', 'pending_approval', 'approved', 'rejected', 'cancelled',
                          'sending', 'succeeded', 'failed', 'unknown')),
    requester_id      bigint NOT NULL REFERENCES users (id),
    -- client_token is CreateInstance's idempotency token: made once when the
    -- order is composed, part of params, and sent unchanged on every resend.
    client_token      text UNIQUE,
    cloned_from_id    bigint REFERENCES orders (id),
    renewal_of_id     bigint REFERENCES orders (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (params_sha256 = encode(sha256(convert_to(params::text, 'UTF8')), 'hex')),
    CHECK ((product = 'billing') = (client_token IS NOT NULL)),
    CHECK ((product = 'waf') = (region <> ''))
);

CREATE INDEX orders_status_id_idx ON orders (status, id DESC);
CREATE INDEX orders_requester_id_idx ON orders (requester_id, id DESC);
CREATE INDEX orders_account_id_idx ON orders (account_id, id DESC);

---- create above / drop below ----

DROP TABLE orders;
