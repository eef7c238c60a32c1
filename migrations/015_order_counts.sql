-- Counts of orders by status without reading the orders table. The orders
-- list shows, beside every page, how many orders match in each status; at a
-- million orders a count(*) is a scan of the whole table, every view.
--
-- order_counts holds the counts per (product, account, requester, status),
-- the dimensions the list filters on without a date, approver or search.
-- It is never written by the transactions that change orders: a single
-- counts row bumped by every send would make concurrent sends (every
-- replica, every key) queue on that row's lock. Instead a statement trigger
-- on orders appends its net change to order_count_deltas (an insert takes
-- no lock another writer waits for), and a periodic job folds the deltas
-- into order_counts (db.FoldOrderCounts: delete and add in one statement,
-- so a reader's snapshot sees each delta exactly once, in one table or the
-- other). A reader sums both.

CREATE TABLE order_counts (
    product      text   NOT NULL,
    account_id   bigint NOT NULL,
    requester_id bigint NOT NULL,
    status       text   NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (product, account_id, requester_id, status)
);

CREATE TABLE order_count_deltas (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product      text    NOT NULL,
    account_id   bigint  NOT NULL,
    requester_id bigint  NOT NULL,
    status       text    NOT NULL,
    delta        integer NOT NULL
);

-- One function for the three statement triggers: transition tables give the
-- rows as they were and as they are, and only the net change per group is
-- kept (an update that leaves the status alone adds nothing).
CREATE FUNCTION orders_count_deltas() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO order_count_deltas (product, account_id, requester_id, status, delta)
        SELECT product, account_id, requester_id, status, count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO order_count_deltas (product, account_id, requester_id, status, delta)
        SELECT product, account_id, requester_id, status, -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4;
    ELSE
        INSERT INTO order_count_deltas (product, account_id, requester_id, status, delta)
        SELECT product, account_id, requester_id, status, sum(d)
        FROM (SELECT product, account_id, requester_id, status, -1 AS d FROM old_rows
              UNION ALL
              SELECT product, account_id, requester_id, status, 1 FROM new_rows) c
        GROUP BY 1, 2, 3, 4
        HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER orders_count_inserts AFTER INSERT ON orders
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION orders_count_deltas();
CREATE TRIGGER orders_count_updates AFTER UPDATE ON orders
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION orders_count_deltas();
CREATE TRIGGER orders_count_deletes AFTER DELETE ON orders
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION orders_count_deltas();

-- The orders there are now, counted once.
INSERT INTO order_counts (product, account_id, requester_id, status, n)
SELECT product, account_id, requester_id, status, count(*)
FROM orders GROUP BY 1, 2, 3, 4;

---- create above / drop below ----

DROP TRIGGER orders_count_deletes ON orders;
DROP TRIGGER orders_count_updates ON orders;
DROP TRIGGER orders_count_inserts ON orders;
DROP FUNCTION orders_count_deltas();
DROP TABLE order_count_deltas;
DROP TABLE order_counts;
