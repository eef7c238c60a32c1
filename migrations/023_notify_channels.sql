-- Issue 18, parts 3 and 4: more channels, signed webhooks, e-mail to people
-- with their own preferences, and a log of every delivery.

-- DingTalk and Feishu group robots, beside generic JSON, WeCom and Slack.
ALTER TABLE approval_policies DROP CONSTRAINT approval_policies_webhook_format_check;
ALTER TABLE approval_policies ADD CONSTRAINT approval_policies_webhook_format_check
    CHECK (webhook_format IN ('generic', 'wecom', 'slack', 'dingtalk', 'feishu'));

-- A webhook's signing secret, sealed like an account's SecretKey
-- (AES-256-GCM under the master key named by key_id, with an AEAD context
-- naming this table, the policy and the column). A table of its own, so the
-- policy's row (which its pages read whole) never carries it. For a generic
-- webhook it keys the HMAC-SHA256 signature header; for a DingTalk robot,
-- its "sign" parameter; for a Feishu robot, its "sign" field.
CREATE TABLE webhook_secrets (
    policy_id  bigint PRIMARY KEY REFERENCES approval_policies (id) ON DELETE CASCADE,
    key_id     text NOT NULL CHECK (key_id <> ''),
    nonce      bytea NOT NULL,
    sealed     bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- What each person wants to hear, by e-mail or not at all, per event. No row
-- means e-mail: nobody has to watch the console unless they chose to.
CREATE TABLE notification_preferences (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event      text NOT NULL CHECK (event ~ '^[a-z_]{1,40}$'),
    channel    text NOT NULL CHECK (channel IN ('email', 'none')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, event)
);

-- One row per message and channel: a policy's webhook or one person's
-- e-mail. Written in the transaction that queues its River job, so the log
-- lists every message the console meant to send even after River's cleaner
-- has deleted the finished jobs (an hour after they complete); the worker
-- counts each attempt and keeps the last error here.
CREATE TABLE deliveries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     bigint REFERENCES orders (id) ON DELETE SET NULL,
    event        text NOT NULL CHECK (event ~ '^[a-z_]{1,40}$'),
    channel      text NOT NULL CHECK (channel IN ('webhook', 'email')),
    -- The webhook's policy, or the person an e-mail is for.
    policy_id    bigint REFERENCES approval_policies (id) ON DELETE SET NULL,
    user_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The notice as it was when its change committed (orders.Notice): what
    -- a resend sends again. Never a URL or a secret.
    notice       jsonb NOT NULL,
    reminder     boolean NOT NULL DEFAULT false,
    status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'retrying', 'delivered', 'failed')),
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The last attempt's error, written by the console (never a receiver's
    -- answer verbatim beyond a short, bounded excerpt, never a URL).
    last_error   text NOT NULL DEFAULT '' CHECK (length(last_error) <= 1000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    attempted_at timestamptz,
    delivered_at timestamptz
);

CREATE INDEX deliveries_created_idx ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_order_idx ON deliveries (order_id);

---- create above / drop below ----

DROP TABLE deliveries;
DROP TABLE notification_preferences;
DROP TABLE webhook_secrets;
ALTER TABLE approval_policies DROP CONSTRAINT approval_policies_webhook_format_check;
ALTER TABLE approval_policies ADD CONSTRAINT approval_policies_webhook_format_check
    CHECK (webhook_format IN ('generic', 'wecom', 'slack'));
