-- Issue 16, parts 1 and 2: what an order costs.
--
-- The price list is versioned by copying: every change (an edit, a CSV
-- import) writes a new price_list_versions row and the whole list under it,
-- so any estimate names the exact list it was computed from and an old list
-- can be read back as it was. Amounts are integer fen (1/100 CNY), never
-- floats. A line prices one month of one item; a row takes effect on its
-- effective_from date, and the list in force on a day is, per item, the row
-- with the latest effective_from not after it.
--
-- line is the product line a price belongs to: 'waf' (the WAF product row's
-- name: an edition, or a domain/QPS/bot/api pack), 'billing' (a Billing
-- ProductCode, CreateInstance and RenewInstance alike) or 'tcb' (a CloudBase
-- PackageId). The sandbox charges from the same rows in sandbox mode.
CREATE TABLE price_list_versions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- NULL: the seed below.
    created_by bigint REFERENCES users (id),
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 500)
);

CREATE TABLE price_list_entries (
    version_id     bigint NOT NULL REFERENCES price_list_versions (id),
    line           text NOT NULL CHECK (line IN ('waf', 'billing', 'tcb')),
    item           text NOT NULL CHECK (item ~ '^[A-Za-z0-9_.-]{1,64}$'),
    monthly_fen    bigint NOT NULL CHECK (monthly_fen >= 0 AND monthly_fen <= 100000000000000),
    effective_from date NOT NULL,
    PRIMARY KEY (version_id, line, item, effective_from)
);

-- The default list: exactly the sandbox's prices before this migration
-- (internal/tcapi/tcsim/prices.go; TestSeedPricesMatchSandbox holds them
-- equal), effective from the start.
INSERT INTO price_list_versions (note) VALUES ('default list (the sandbox''s prices)');
INSERT INTO price_list_entries (version_id, line, item, monthly_fen, effective_from)
SELECT 1, line, item, fen, DATE '2000-01-01' FROM (VALUES
    ('waf', 'premium', 328000), ('waf', 'enterprise', 698000), ('waf', 'ultimate', 1998000),
    ('waf', 'domain', 100000), ('waf', 'qps', 50000), ('waf', 'bot', 100000), ('waf', 'api', 100000),
    ('billing', 'p_cloudfirewall', 128000), ('billing', 'p_yunjing', 5000),
    ('tcb', 'baas_personal', 1990), ('tcb', 'baas_team', 9990), ('tcb', 'education_demo', 0),
    ('tcb', 'pkg_flexdb_promotion_3000', 3000), ('tcb', 'pkg_tcb_api_invoke_num', 990)
) AS seed (line, item, fen);

-- An order's estimate, kept beside the order (computed when it is composed,
-- edited or submitted, and again whenever the price list changes or it is
-- about to be sent). estimate_fen NULL means "no estimate": a line the list
-- does not price. lines is the line-by-line breakdown the pages show.
CREATE TABLE order_estimates (
    order_id           bigint PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    estimate_fen       bigint CHECK (estimate_fen >= 0),
    price_list_version bigint NOT NULL REFERENCES price_list_versions (id),
    lines              jsonb NOT NULL,
    computed_at        timestamptz NOT NULL DEFAULT now()
);

-- The estimate an approver approved, pinned like the version and hash: an
-- approval counts only while the order's estimate is still this amount
-- (NULL = no estimate, matched with IS NOT DISTINCT FROM).
-- A person decides once per version and estimate: when a price change moves
-- the estimate, the order returns for approval and the same approvers may
-- approve the new amount.
ALTER TABLE approvals ADD COLUMN estimate_fen bigint;
ALTER TABLE approvals DROP CONSTRAINT approvals_order_id_version_approver_id_key;
ALTER TABLE approvals ADD CONSTRAINT approvals_one_decision_per_estimate
    UNIQUE NULLS NOT DISTINCT (order_id, version, approver_id, estimate_fen);

---- create above / drop below ----
ALTER TABLE approvals DROP CONSTRAINT approvals_one_decision_per_estimate;
ALTER TABLE approvals ADD CONSTRAINT approvals_order_id_version_approver_id_key UNIQUE (order_id, version, approver_id);
ALTER TABLE approvals DROP COLUMN estimate_fen;
DROP TABLE order_estimates;
DROP TABLE price_list_entries;
DROP TABLE price_list_versions;
