-- Duplicate guard (issue 11): nothing may be bought twice by a person either.
--
-- purchase_fingerprint is the sha256 of the order's canonical parameters
-- without ClientToken: a billing clone gets a fresh token, so its
-- params_sha256 differs from its source's while it buys exactly the same.
-- purchase_targets are the instances or environments the order acts on
-- (WAF: InstanceId at the top or in any GoodsDetail, GoodsDetail ResourceId;
-- TCB: ResourceId, EnvId; billing CreateInstance: none). The console computes
-- both in Go (internal/orders/duplicates.go) on every insert and edit; the
-- functions below compute the same for the rows that exist now, and a test
-- (internal/orders/duplicates_test.go) holds the two to agreement.
ALTER TABLE orders
    ADD COLUMN purchase_fingerprint text,
    ADD COLUMN purchase_targets     text[] NOT NULL DEFAULT '{}';

-- params is stored canonical (keys sorted, no white space), so removing the
-- top-level "ClientToken" member and its comma from the text leaves exactly
-- the canonical form of the object without it. A ClientToken inside a string
-- (CreateInstance's Parameter) is escaped as \"ClientToken\" and never matches.
CREATE FUNCTION orders_purchase_fingerprint(params json) RETURNS text
LANGUAGE sql STABLE STRICT AS $$
    SELECT encode(sha256(convert_to(
        regexp_replace(
            regexp_replace(params::text, ',"ClientToken":"(?:[^"\\]|\\.)*"', ''),
            '^\{"ClientToken":"(?:[^"\\]|\\.)*",?', '{'),
        'UTF8')), 'hex')
$$;

CREATE FUNCTION orders_purchase_targets(product text, params json) RETURNS text[]
LANGUAGE sql STABLE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT v #>> '{}' ORDER BY v #>> '{}'), '{}')
    FROM (
        SELECT params -> 'InstanceId' AS v WHERE product = 'waf'
        UNION ALL
        SELECT g -> 'GoodsDetail' -> k
        FROM json_array_elements(CASE WHEN product = 'waf' AND json_typeof(params -> 'Goods') = 'array'
                                      THEN params -> 'Goods' ELSE '[]'::json END) AS g
        CROSS JOIN unnest(ARRAY['InstanceId', 'ResourceId']) AS k
        UNION ALL
        SELECT params -> k FROM unnest(ARRAY['ResourceId', 'EnvId']) AS k WHERE product = 'tcb'
    ) AS found
    WHERE json_typeof(v) = 'string' AND v #>> '{}' <> ''
$$;

UPDATE orders
SET purchase_fingerprint = orders_purchase_fingerprint(params),
    purchase_targets = orders_purchase_targets(product, params);

-- The console always writes both keys. Rows written by SQL alone (seed
-- scripts, the history benchmark, tests that copy orders) get them here
-- instead of breaking on NOT NULL or escaping the guard.
CREATE FUNCTION orders_fill_purchase_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.purchase_fingerprint IS NULL THEN
        NEW.purchase_fingerprint := orders_purchase_fingerprint(NEW.params);
        NEW.purchase_targets := orders_purchase_targets(NEW.product, NEW.params);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_purchase_key_filled
    BEFORE INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_fill_purchase_key();

ALTER TABLE orders
    ALTER COLUMN purchase_fingerprint SET NOT NULL,
    ADD CONSTRAINT orders_purchase_fingerprint_check CHECK (purchase_fingerprint ~ '^[0-9a-f]{64}$');

-- The matching query (ListPurchaseMatches) looks for the same account and
-- product with the same fingerprint, or any shared target.
CREATE INDEX orders_purchase_fingerprint_idx ON orders (account_id, product, purchase_fingerprint);
CREATE INDEX orders_purchase_targets_idx ON orders USING gin (purchase_targets);

-- duplicates_checked: the orders an approver confirmed this one does not
-- duplicate ("I have checked this is not a duplicate"), as they matched when
-- the decision was taken; empty when nothing matched.
ALTER TABLE approvals ADD COLUMN duplicates_checked bigint[] NOT NULL DEFAULT '{}';

---- create above / drop below ----

ALTER TABLE approvals DROP COLUMN duplicates_checked;
DROP INDEX orders_purchase_targets_idx;
DROP INDEX orders_purchase_fingerprint_idx;
DROP TRIGGER orders_purchase_key_filled ON orders;
DROP FUNCTION orders_fill_purchase_key();
ALTER TABLE orders DROP COLUMN purchase_targets, DROP COLUMN purchase_fingerprint;
DROP FUNCTION orders_purchase_targets(text, json);
DROP FUNCTION orders_purchase_fingerprint(json);
