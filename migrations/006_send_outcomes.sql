-- What happened when an order was sent. The order row carries the latest
-- outcome, the fields people search by (RequestId, DealNames, BigDealId,
-- OrderId, instance ids) and the whole answer; send_attempts keeps every
-- attempt, with the exact bytes sent and received, as evidence.
ALTER TABLE orders
    ADD COLUMN send_attempts      integer NOT NULL DEFAULT 0,
    ADD COLUMN sent_at            timestamptz,
    ADD COLUMN finished_at        timestamptz,
    -- outcome is tcapi's class of the last call (succeeded, rejected,
    -- throttled, not_sent, unknown, needs_review) or a Dealdesk reason.
    ADD COLUMN outcome            text NOT NULL DEFAULT '',
    ADD COLUMN request_id         text NOT NULL DEFAULT '',
    ADD COLUMN error_code         text NOT NULL DEFAULT '',
    ADD COLUMN error_message      text NOT NULL DEFAULT '',
    ADD COLUMN response           jsonb,
    ADD COLUMN deal_names         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN big_deal_id        text NOT NULL DEFAULT '',
    ADD COLUMN instance_ids       text[] NOT NULL DEFAULT '{}',
    ADD COLUMN billing_order_id   text NOT NULL DEFAULT '',
    -- settlement_note is what a person recorded when settling an unknown order.
    ADD COLUMN settlement_note    text NOT NULL DEFAULT '';

CREATE TABLE send_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id),
    attempt       integer NOT NULL CHECK (attempt >= 1),
    -- params_sha256 is the hash the order carried when the attempt began;
    -- sent_sha256 the hash of the canonical form of the bytes that went on
    -- the wire. They must be equal: that is the promise, recorded.
    params_sha256 text NOT NULL,
    sent_sha256   text NOT NULL DEFAULT '',
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    outcome       text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT '',
    error_code    text NOT NULL DEFAULT '',
    error_message text NOT NULL DEFAULT '',
    http_status   integer NOT NULL DEFAULT 0,
    sent          bytea,
    received      bytea,
    -- replica names the console process that made the call.
    replica       text NOT NULL DEFAULT '',
    UNIQUE (order_id, attempt)
);

---- create above / drop below ----

DROP TABLE send_attempts;
ALTER TABLE orders
    DROP COLUMN send_attempts, DROP COLUMN sent_at, DROP COLUMN finished_at, DROP COLUMN outcome,
    DROP COLUMN request_id, DROP COLUMN error_code, DROP COLUMN error_message, DROP COLUMN response,
    DROP COLUMN deal_names, DROP COLUMN big_deal_id, DROP COLUMN instance_ids,
    DROP COLUMN billing_order_id, DROP COLUMN settlement_note;
