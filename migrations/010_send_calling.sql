-- When a call may have left, and with which key.
--
-- calling_at is set, in its own committed statement, just before the request
-- is written to the connection. An attempt without it never sent a byte: the
-- console stopped (or the database failed) while opening credentials or
-- waiting for the rate limit, so a rescue may send normally. An attempt with
-- it may have reached Tencent Cloud.
--
-- secret_id is the SecretId that signed the call. Whether a ClientToken is
-- scoped to the key or to the account is not documented, so a resend with
-- the same token is made only with the same SecretId as the first call.
ALTER TABLE send_attempts
    ADD COLUMN calling_at timestamptz,
    ADD COLUMN secret_id  text NOT NULL DEFAULT '';

-- Attempts recorded before this migration have no finer record: take every
-- one that has bytes or an answer, was interrupted or is still open as having
-- reached the call (the cautious reading).
UPDATE send_attempts SET calling_at = started_at
WHERE sent IS NOT NULL OR received IS NOT NULL OR finished_at IS NULL
   OR outcome IN ('interrupted', 'unknown', 'needs_review', 'succeeded', 'rejected');

---- create above / drop below ----

ALTER TABLE send_attempts DROP COLUMN calling_at, DROP COLUMN secret_id;
