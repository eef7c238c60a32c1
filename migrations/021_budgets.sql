-- Issue 16, parts 3 and 4: cost centres, budgets and the billed amount.
--
-- Amounts are integer fen (1/100 CNY), never floats.
--
-- A cost centre is a name admins keep; an order may name one (optional),
-- kept beside the order in order_cost_centres so that the order's content,
-- its versions and its hash stay exactly what approvers approve.
CREATE TABLE cost_centres (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name ~ '^\S(.*\S)?$' AND length(name) <= 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint NOT NULL REFERENCES users (id),
    -- A retired cost centre is no longer offered; orders keep naming it.
    retired    boolean NOT NULL DEFAULT false
);

CREATE TABLE order_cost_centres (
    order_id       bigint PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    cost_centre_id bigint NOT NULL REFERENCES cost_centres (id)
);

CREATE INDEX order_cost_centres_centre ON order_cost_centres (cost_centre_id);

-- A budget caps what one Tencent Cloud account (and, when cost_centre_id is
-- set, only that cost centre's orders of it) spends per calendar month,
-- quarter or year in Beijing time. The approval path locks an order's
-- budget rows (SELECT ... FOR UPDATE) before it counts what they hold, so
-- concurrent approvals take turns on a budget. block_over_budget refuses an
-- approval that would take the budget past its limit.
CREATE TABLE budgets (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id        bigint NOT NULL REFERENCES tencentcloud_accounts (id),
    cost_centre_id    bigint REFERENCES cost_centres (id),
    period            text NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    limit_fen         bigint NOT NULL CHECK (limit_fen >= 0 AND limit_fen <= 100000000000000),
    block_over_budget boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        bigint NOT NULL REFERENCES users (id),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (account_id, cost_centre_id, period)
);

-- What the bill says an order cost (Billing DescribeDealsByCond, looked up
-- after a purchase succeeded): the sum over the order's deals of
-- RealTotalCost (billed_fen), of the list price TotalCost (list_fen), of
-- VoucherDecline (voucher_fen), and the discount list − billed − voucher.
-- status: found (amounts set), waiting (not on the bill yet), failed.
CREATE TABLE order_bills (
    order_id     bigint PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('found', 'waiting', 'failed')),
    billed_fen   bigint CHECK (billed_fen >= 0),
    list_fen     bigint CHECK (list_fen >= 0),
    discount_fen bigint,
    voucher_fen  bigint CHECK (voucher_fen >= 0),
    -- the deals the amounts sum: [{"OrderId","BigDealId","Status","RealTotalCost","TotalCost","VoucherDecline"}]
    deals        jsonb NOT NULL DEFAULT '[]',
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    tries        integer NOT NULL DEFAULT 1 CHECK (tries >= 1),
    looked_up_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'found') = (billed_fen IS NOT NULL))
);

-- Spend reads the succeeded orders of an account by when they became so
-- (succeeded is final, so status_changed_at is when it was bought).
CREATE INDEX orders_account_status_changed ON orders (account_id, status, status_changed_at);

---- create above / drop below ----
DROP INDEX orders_account_status_changed;
DROP TABLE order_bills;
DROP TABLE budgets;
DROP TABLE order_cost_centres;
DROP TABLE cost_centres;
