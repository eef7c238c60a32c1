-- Issue 18, part 5: renewals before expiry.

-- How many days before an instance expires the console drafts its renewal,
-- per account.
ALTER TABLE tencentcloud_accounts
    ADD COLUMN renewal_lead_days integer NOT NULL DEFAULT 30
        CHECK (renewal_lead_days BETWEEN 1 AND 365);

-- Each purchased instance or environment and when it expires: written in the
-- transaction that records a succeeded purchase (from its term) and moved
-- by a succeeded renewal (by its term). One row per thing bought, named by
-- its id at Tencent Cloud within its account.
CREATE TABLE instance_expiries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES tencentcloud_accounts (id),
    -- The product it was bought as (waf, billing, tcb): what renews it.
    product      text NOT NULL CHECK (product IN ('waf', 'billing', 'billing_renew', 'tcb')),
    target       text NOT NULL CHECK (target <> '' AND length(target) <= 200),
    -- The purchase that bought it (whose requester gets the renewal draft)
    -- and the last succeeded order that moved its expiry (what a renewal
    -- renews again).
    bought_by_order_id bigint NOT NULL REFERENCES orders (id),
    last_order_id      bigint NOT NULL REFERENCES orders (id),
    expires_at   timestamptz NOT NULL,
    -- Set to renew automatically at Tencent Cloud: shown, never drafted.
    auto_renew   boolean NOT NULL DEFAULT false,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, target)
);

CREATE INDEX instance_expiries_expires_idx ON instance_expiries (expires_at);

-- One renewal draft per instance and expiry: the primary key, not a check in
-- Go, makes a second pass (from this replica or another) draft nothing.
CREATE TABLE renewal_drafts (
    instance_id bigint NOT NULL REFERENCES instance_expiries (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    -- The draft; a person may delete it, and the row stays so it is not
    -- drafted again for the same expiry.
    order_id    bigint REFERENCES orders (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, expires_at)
);

---- create above / drop below ----

DROP TABLE renewal_drafts;
DROP TABLE instance_expiries;
ALTER TABLE tencentcloud_accounts DROP COLUMN renewal_lead_days;
