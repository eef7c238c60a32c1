-- Issue 16, part 1: Cloud Firewall and Workload Protection editions and the
-- per-unit dimensions of Billing's Parameter.
--
-- A Billing order is priced by its ProductCode per instance and, per
-- instance, by each sv_* member of its Parameter with a value above 0: item
-- '<ProductCode>.<member>', a monthly price per unit of the member's value
-- (an edition flag is 1 unit, so its row is the edition's monthly price;
-- internal/orders/billing_dimensions.go). A member the list does not price
-- leaves the order without an estimate.
--
-- The list is versioned by copying (migration 019), so this writes a new
-- version: the list in force now, plus the rows below for the items it does
-- not price yet (an admin's own price for one of them is kept). The amounts
-- are the sandbox's (internal/tcapi/tcsim/prices.go; made up, as all of its
-- prices are; TestSeedPricesMatchSandbox). Stored estimates are not
-- recomputed here: an approved order whose amount this moves returns for
-- approval when the sender re-prices it before the call, as after any
-- price change.
INSERT INTO price_list_versions (note)
VALUES ('Cloud Firewall and Workload Protection editions and per-unit Parameter prices');

INSERT INTO price_list_entries (version_id, line, item, monthly_fen, effective_from)
SELECT currval(pg_get_serial_sequence('price_list_versions', 'id')), line, item, monthly_fen, effective_from
FROM price_list_entries
WHERE version_id = (SELECT max(id) FROM price_list_versions
                    WHERE id < currval(pg_get_serial_sequence('price_list_versions', 'id')));

INSERT INTO price_list_entries (version_id, line, item, monthly_fen, effective_from)
SELECT currval(pg_get_serial_sequence('price_list_versions', 'id')), 'billing', seed.item, seed.fen, DATE '2000-01-01'
FROM (VALUES
    ('p_cloudfirewall.sv_cloudfirewall_basic_aeps', 100000),
    ('p_cloudfirewall.sv_cloudfirewall_basic_eeps', 300000),
    ('p_cloudfirewall.sv_cloudfirewall_basic_ueps', 800000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_ibtesps', 100),
    ('p_cloudfirewall.sv_cloudfirewall_extended_vpcbges', 50000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_ndr', 50000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_clasps', 20000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_clsesps', 1),
    ('p_cloudfirewall.sv_cloudfirewall_extended_pcs', 10000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_sub', 10000),
    ('p_cloudfirewall.sv_cloudfirewall_extended_subs', 10),
    ('p_cloudfirewall.sv_cloudfirewall_extended_ates', 100),
    ('p_cloudfirewall.sv_cloudfirewall_extended_spt', 50000),
    ('p_yunjing.sv_yunjing_vas_la', 100)
) AS seed (item, fen)
WHERE NOT EXISTS (
    SELECT 1 FROM price_list_entries e
    WHERE e.version_id = currval(pg_get_serial_sequence('price_list_versions', 'id'))
      AND e.line = 'billing' AND e.item = seed.item
);

---- create above / drop below ----
-- The version stays: estimates and approvals may name it. Reverting means
-- an admin writing a list without these rows, as for any price change.
