-- Indexes for the history pages: the orders list and its search, and the
-- audit log page. Each matches a query in internal/db/queries/history.sql
-- or audit_log.sql; with a million orders every one of them is the
-- difference between an index scan and reading the whole table.

-- pg_trgm lets ILIKE '%words%' on titles use an index. It ships with
-- Postgres (contrib) and is a trusted extension: no superuser needed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Newest and oldest first are (id); "recently updated" walks this one.
CREATE INDEX orders_updated_at_id_idx ON orders (updated_at DESC, id DESC);
CREATE INDEX orders_created_at_idx ON orders (created_at);
CREATE INDEX orders_product_id_idx ON orders (product, id DESC);
CREATE INDEX orders_title_trgm_idx ON orders USING gin (title gin_trgm_ops);
-- Tencent Cloud's identifiers are searched exactly, never by fragment.
CREATE INDEX orders_request_id_idx ON orders (request_id);
CREATE INDEX orders_big_deal_id_idx ON orders (big_deal_id);
CREATE INDEX orders_billing_order_id_idx ON orders (billing_order_id);
CREATE INDEX orders_deal_names_idx ON orders USING gin (deal_names);
CREATE INDEX orders_instance_ids_idx ON orders USING gin (instance_ids);
-- "Approved by": approvals_approver_idx (approver_id, order_id) already serves it.

-- The audit page walks the chain newest first, optionally for one actor or
-- one subject.
CREATE INDEX audit_events_actor_seq_idx ON audit_events (actor, chain_seq DESC);
CREATE INDEX audit_events_subject_seq_idx ON audit_events (subject, chain_seq DESC);
CREATE INDEX audit_events_action_seq_idx ON audit_events (action text_pattern_ops, chain_seq DESC);

---- create above / drop below ----

DROP INDEX audit_events_action_seq_idx;
DROP INDEX audit_events_subject_seq_idx;
DROP INDEX audit_events_actor_seq_idx;
DROP INDEX orders_instance_ids_idx;
DROP INDEX orders_deal_names_idx;
DROP INDEX orders_billing_order_id_idx;
DROP INDEX orders_big_deal_id_idx;
DROP INDEX orders_request_id_idx;
DROP INDEX orders_title_trgm_idx;
DROP INDEX orders_product_id_idx;
DROP INDEX orders_created_at_idx;
DROP INDEX orders_updated_at_id_idx;
