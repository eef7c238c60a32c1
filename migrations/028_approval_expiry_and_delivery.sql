-- Issue 17, part 4: approvals that expire.
--
-- A rule may say how long an approval stays valid. An order approved but
-- not sent by then returns for approval at the same version: its
-- approvals no longer count, and the same people may approve it again.
-- approval_round counts those returns; each decision records the round it
-- was given in, and only the order's current round counts. The one
-- decision per person per version and estimate becomes one per round too,
-- so an approver whose approval lapsed can give it again.
ALTER TABLE orders ADD COLUMN approval_round integer NOT NULL DEFAULT 0 CHECK (approval_round >= 0);
-- Why an order is pending again: its approvals of this version expired at
-- this time (the order page says so). Only meaningful while
-- approval_expired_version is the order's version.
ALTER TABLE orders ADD COLUMN approval_expired_at timestamptz;
ALTER TABLE orders ADD COLUMN approval_expired_version integer;

ALTER TABLE approvals ADD COLUMN round integer NOT NULL DEFAULT 0;
ALTER TABLE approvals DROP CONSTRAINT approvals_one_decision_per_estimate;
ALTER TABLE approvals ADD CONSTRAINT approvals_one_decision_per_round
    UNIQUE NULLS NOT DISTINCT (order_id, version, approver_id, estimate_fen, round);

-- "Approval about to expire" notices: one per order, version and round,
-- so every replica's pass and every later pass send it once.
CREATE TABLE approval_expiry_warnings (
    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    version    integer NOT NULL,
    round      integer NOT NULL,
    expires_at timestamptz NOT NULL,
    warned_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, version, round)
);

-- Issue 17, part 5: delivery on a date. The requester (or anyone who may
-- send the order) may ask for it to be bought on or after a time: the
-- send is then a job scheduled for it. The date is when, not what: setting
-- it keeps the version and its approvals (what was approved is the
-- request). NULL: as soon as it is sent.
ALTER TABLE orders ADD COLUMN deliver_at timestamptz;

---- create above / drop below ----

ALTER TABLE orders DROP COLUMN deliver_at;
DROP TABLE approval_expiry_warnings;
ALTER TABLE approvals DROP CONSTRAINT approvals_one_decision_per_round;
ALTER TABLE approvals ADD CONSTRAINT approvals_one_decision_per_estimate
    UNIQUE NULLS NOT DISTINCT (order_id, version, approver_id, estimate_fen);
ALTER TABLE approvals DROP COLUMN round;
ALTER TABLE orders DROP COLUMN approval_expired_version;
ALTER TABLE orders DROP COLUMN approval_expired_at;
ALTER TABLE orders DROP COLUMN approval_round;
