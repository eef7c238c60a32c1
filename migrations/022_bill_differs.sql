-- Issue 16, part 3: whether the billed amount differs from the estimate by
-- more than the tolerance in force when the bill was read
-- (CONSOLE_BILL_TOLERANCE_PERCENT), kept with the amounts so that the
-- order page, the admins' home page and the exports flag the same orders,
-- and the flag does not move when the setting does. estimate_fen is the
-- order's estimate the bill was compared with (NULL: it had none).
ALTER TABLE order_bills
    ADD COLUMN estimate_fen bigint,
    ADD COLUMN differs boolean NOT NULL DEFAULT false,
    ADD COLUMN tolerance_percent integer NOT NULL DEFAULT 0 CHECK (tolerance_percent BETWEEN 0 AND 100);

CREATE INDEX order_bills_differs ON order_bills (order_id) WHERE differs;

---- create above / drop below ----
DROP INDEX order_bills_differs;
ALTER TABLE order_bills DROP COLUMN tolerance_percent, DROP COLUMN differs, DROP COLUMN estimate_fen;
