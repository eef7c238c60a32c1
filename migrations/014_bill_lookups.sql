-- Reconciliation from the bill (issue 13): a periodic job looks every
-- order whose outcome is unknown up in Billing DescribeDealsByCond and keeps
-- what it found here, as evidence, with what it proposes. Nothing here
-- settles an order: a person confirms a proposal through the settle-by-hand
-- path, which moves the order and writes its own audit event.
--
-- proposal:
--   bought      one unambiguous group of deals matches the order (deal_names)
--   not_bought  no deal matched after the quiet period
--   ambiguous   more than one candidate, or the only one is claimed by
--               another order: shown to a person, never proposed
--   waiting     nothing yet, and the quiet period has not passed
--   failed      the lookup itself failed (error says why, safely)
--   none        the order settles itself (ClientToken resend): evidence only
CREATE TABLE bill_lookups (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      bigint NOT NULL REFERENCES orders (id),
    looked_up_at  timestamptz NOT NULL DEFAULT now(),
    -- checked_at is the last time the job found exactly this again (it
    -- adds a row, with its audit event, only when the findings change).
    checked_at    timestamptz NOT NULL DEFAULT now(),
    -- the window asked for, as sent (Beijing time, "2006-01-02 15:04:05")
    window_start  text NOT NULL,
    window_end    text NOT NULL,
    -- every deal DescribeDealsByCond returned for the window and the
    -- product's codes, all statuses: [{"OrderId", "BigDealId", "Status",
    -- "ProductCode", "SubProductCode", "CreateTime", "RealTotalCost",
    -- "ResourceId", "Matches", "ClaimedBy"}]
    deals         jsonb NOT NULL DEFAULT '[]',
    calls         integer NOT NULL DEFAULT 0 CHECK (calls >= 0),
    proposal      text NOT NULL
                  CHECK (proposal IN ('bought', 'not_bought', 'ambiguous', 'waiting', 'failed', 'none')),
    deal_names    text[] NOT NULL DEFAULT '{}',
    big_deal_id   text NOT NULL DEFAULT '',
    reason        text NOT NULL DEFAULT '',
    CHECK ((proposal = 'bought') = (cardinality(deal_names) > 0))
);

CREATE INDEX bill_lookups_order ON bill_lookups (order_id, id DESC);

---- create above / drop below ----

DROP TABLE bill_lookups;
