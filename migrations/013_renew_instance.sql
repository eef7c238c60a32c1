-- Issue 13: renewals that renew, and deals that wait for payment.
--
-- billing_renew is Billing RenewInstance: another term of one instance a
-- CreateInstance bought. Like CreateInstance it carries a ClientToken the
-- console makes (stored, sent on every resend), takes no region, and its
-- duplicate-guard target is the instance it renews.
--
-- awaiting_payment is where a CloudBase CreateBillDeal without CreateAndPay
-- ends: the service created an unpaid deal and bought nothing yet. Only an
-- approver's recorded decision (paid elsewhere, or abandoned) moves it on.
ALTER TABLE orders DROP CONSTRAINT orders_product_check;
ALTER TABLE orders ADD CONSTRAINT orders_product_check
    CHECK (product IN ('waf', 'billing', 'billing_renew', 'tcb'));
ALTER TABLE approval_policies DROP CONSTRAINT approval_policies_product_check;
ALTER TABLE approval_policies ADD CONSTRAINT approval_policies_product_check
    CHECK (product IN ('waf', 'billing', 'billing_renew', 'tcb'));

ALTER TABLE orders DROP CONSTRAINT orders_check1;
ALTER TABLE orders ADD CONSTRAINT orders_client_token_check
    CHECK ((product IN ('billing', 'billing_renew')) = (client_token IS NOT NULL));

ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN (
    'draft', 'pending_approval', 'approved', 'rejected', 'cancelled',
    'sending', 'succeeded', 'failed', 'unknown', 'awaiting_payment'));

-- The duplicate guard's targets, as internal/orders/duplicates.go computes
-- them (TestPurchaseKeySQLAgrees holds the two to agreement): migration
-- 011's, and RenewInstance's InstanceId.
CREATE OR REPLACE FUNCTION orders_purchase_targets(product text, params json) RETURNS text[]
LANGUAGE sql STABLE STRICT AS $$
    SELECT coalesce(array_agg(DISTINCT v #>> '{}' ORDER BY v #>> '{}'), '{}')
    FROM (
        SELECT params -> 'InstanceId' AS v WHERE product IN ('waf', 'billing_renew')
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

---- create above / drop below ----

CREATE OR REPLACE FUNCTION orders_purchase_targets(product text, params json) RETURNS text[]
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
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN (
    'draft', 'pending_approval', 'approved', 'rejected', 'cancelled',
    'sending', 'succeeded', 'failed', 'unknown'));
ALTER TABLE orders DROP CONSTRAINT orders_client_token_check;
ALTER TABLE orders ADD CONSTRAINT orders_check1 CHECK ((product = 'billing') = (client_token IS NOT NULL));
ALTER TABLE approval_policies DROP CONSTRAINT approval_policies_product_check;
ALTER TABLE approval_policies ADD CONSTRAINT approval_policies_product_check
    CHECK (product IN ('waf', 'billing', 'tcb'));
ALTER TABLE orders DROP CONSTRAINT orders_product_check;
ALTER TABLE orders ADD CONSTRAINT orders_product_check
    CHECK (product IN ('waf', 'billing', 'tcb'));
