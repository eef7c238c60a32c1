-- rate_limit_slots spaces Tencent Cloud calls across every console replica:
-- each call reserves the next free slot of its (account, action) key, and
-- next_at is when the slot after it opens. Times come from the database's
-- clock, which all replicas share.
CREATE TABLE rate_limit_slots (
    -- key is the hex sha256 of SecretId, service and action.
    key     text PRIMARY KEY,
    next_at timestamptz NOT NULL
);

---- create above / drop below ----

DROP TABLE rate_limit_slots;
