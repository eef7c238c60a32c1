-- Approvals: who must say yes to which purchase, and who said what about
-- exactly which parameters.

-- approval_policies: per product, optionally per account, how many distinct
-- approvers an order needs and whether it is sent as soon as it has them.
-- An account's own policy wins over its product's policy (account_id NULL),
-- which wins over the built-in default (1 approver, auto-send), kept in Go.
CREATE TABLE approval_policies (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product            text NOT NULL CHECK (product IN ('waf', 'billing', 'tcb')),
    account_id         bigint REFERENCES tencentcloud_accounts (id),
    required_approvers integer NOT NULL DEFAULT 1 CHECK (required_approvers BETWEEN 1 AND 20),
    auto_send          boolean NOT NULL DEFAULT true,
    -- webhook_url '' means no notifications. It may carry a token (Slack and
    -- WeCom put one in the URL), so it is shown to admins only and never
    -- written to the audit log or to job arguments.
    webhook_url        text NOT NULL DEFAULT '' CHECK (webhook_url = '' OR (webhook_url ~ '^https?://' AND length(webhook_url) <= 2000)),
    webhook_format     text NOT NULL DEFAULT 'generic' CHECK (webhook_format IN ('generic', 'wecom', 'slack')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- NULLS NOT DISTINCT: one product-wide policy per product, too.
    UNIQUE NULLS NOT DISTINCT (product, account_id)
);

-- order_versions keeps what each version of an order said, so approvers can
-- be shown what changed since the version they last saw. The triggers below
-- write it on every insert and every version bump, whichever code path
-- (compose, clone, renew, edit) made the change: no path can forget.
CREATE TABLE order_versions (
    order_id      bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    account_id    bigint NOT NULL,
    region        text NOT NULL,
    title         text NOT NULL,
    justification text NOT NULL,
    params        json NOT NULL,
    params_sha256 text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- submitted_at: when this version was first put before approvers.
    submitted_at  timestamptz,
    PRIMARY KEY (order_id, version),
    -- For the approvals foreign key below: a decision names a version and
    -- the hash that version really had.
    UNIQUE (order_id, version, params_sha256)
);

CREATE FUNCTION order_versions_record() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO order_versions (order_id, version, account_id, region, title, justification, params, params_sha256)
    VALUES (NEW.id, NEW.version, NEW.account_id, NEW.region, NEW.title, NEW.justification, NEW.params, NEW.params_sha256);
    RETURN NULL;
END;
$$;

CREATE TRIGGER orders_record_first_version
    AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION order_versions_record();

CREATE TRIGGER orders_record_new_version
    AFTER UPDATE ON orders
    FOR EACH ROW WHEN (NEW.version <> OLD.version)
    EXECUTE FUNCTION order_versions_record();

-- Approvals are pinned to (version, hash): content that changed under the
-- same version number would be approved without anyone having seen it.
CREATE FUNCTION orders_refuse_unversioned_edit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'orders: order % changed its content without a new version', OLD.id
        USING ERRCODE = 'check_violation';
END;
$$;

CREATE TRIGGER orders_content_needs_new_version
    BEFORE UPDATE ON orders
    FOR EACH ROW WHEN (NEW.version = OLD.version AND (
        NEW.params::text <> OLD.params::text OR NEW.params_sha256 <> OLD.params_sha256
        OR NEW.account_id <> OLD.account_id OR NEW.region <> OLD.region
        OR NEW.title <> OLD.title OR NEW.justification <> OLD.justification))
    EXECUTE FUNCTION orders_refuse_unversioned_edit();

INSERT INTO order_versions (order_id, version, account_id, region, title, justification, params, params_sha256,
                            submitted_at)
SELECT id, version, account_id, region, title, justification, params, params_sha256,
       CASE WHEN status <> 'draft' THEN status_changed_at END
FROM orders;

-- approvals: one decision per approver per order version. The composite
-- foreign key ties the hash to the version it was taken from.
CREATE TABLE approvals (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      bigint NOT NULL,
    version       integer NOT NULL,
    params_sha256 text NOT NULL,
    approver_id   bigint NOT NULL REFERENCES users (id),
    decision      text NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment       text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    decided_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, version, approver_id),
    FOREIGN KEY (order_id, version, params_sha256)
        REFERENCES order_versions (order_id, version, params_sha256) ON DELETE CASCADE,
    -- The requester reads the reason: a rejection without one helps nobody.
    CHECK (decision <> 'reject' OR btrim(comment) <> '')
);

CREATE INDEX approvals_approver_idx ON approvals (approver_id, order_id);

-- The requester never decides on their own order, whatever the policy and
-- whatever the code above the database gets wrong. Decisions are records:
-- they are never changed (a new version gets new decisions).
CREATE FUNCTION approvals_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'approvals: decisions are never changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM orders WHERE id = NEW.order_id AND requester_id = NEW.approver_id) THEN
        RAISE EXCEPTION 'approvals: the requester of order % cannot decide on it', NEW.order_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER approvals_checked
    BEFORE INSERT OR UPDATE ON approvals
    FOR EACH ROW EXECUTE FUNCTION approvals_check();

---- create above / drop below ----

DROP TABLE approvals;
DROP FUNCTION approvals_check();
DROP TRIGGER orders_content_needs_new_version ON orders;
DROP FUNCTION orders_refuse_unversioned_edit();
DROP TRIGGER orders_record_new_version ON orders;
DROP TRIGGER orders_record_first_version ON orders;
DROP FUNCTION order_versions_record();
DROP TABLE order_versions;
DROP TABLE approval_policies;
