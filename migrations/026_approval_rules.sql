-- Issue 17: approval rules by risk.
--
-- approver_groups are teams (finance, security, platform …) an admin keeps;
-- a user may be in several. A policy becomes an ordered list of rules, each
-- a CEL condition over the order and the stages of approval it requires;
-- the policy's own required_approvers and auto_send stay as its last rule,
-- "Otherwise" (condition true, one stage of that many from anyone with the
-- approver role), so every policy that exists keeps its meaning unchanged:
-- it is a single rule, the one it always was.
CREATE TABLE approver_groups (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The name is what rules write ("finance" in groups), so it stays a
    -- plain lower-case word.
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,39}$'),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE approver_group_members (
    group_id bigint NOT NULL REFERENCES approver_groups (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);

CREATE INDEX approver_group_members_user_idx ON approver_group_members (user_id);

-- rules_version goes up with every change to a policy's rules: compiled
-- conditions are cached per (policy, rules_version).
ALTER TABLE approval_policies ADD COLUMN rules_version integer NOT NULL DEFAULT 1;

CREATE TABLE approval_rules (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id   bigint NOT NULL REFERENCES approval_policies (id) ON DELETE CASCADE,
    position    integer NOT NULL CHECK (position BETWEEN 1 AND 50),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    condition   text NOT NULL CHECK (length(btrim(condition)) BETWEEN 1 AND 2000),
    auto_send   boolean NOT NULL DEFAULT false,
    -- Separation of duties: nobody in any of the requester's groups may
    -- approve; admins may not approve at all.
    separate_requester_groups boolean NOT NULL DEFAULT false,
    exclude_admins            boolean NOT NULL DEFAULT false,
    -- How long an approval stays valid; NULL: until the order is sent.
    valid_for_seconds integer CHECK (valid_for_seconds IS NULL OR valid_for_seconds BETWEEN 60 AND 31536000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- Deferred: moving a rule swaps two positions in one transaction.
    UNIQUE (policy_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- Each stage is a count from a group, or (group_id NULL) from anyone with
-- the approver role. A group a rule names cannot be deleted under it.
CREATE TABLE approval_rule_stages (
    rule_id  bigint NOT NULL REFERENCES approval_rules (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position BETWEEN 1 AND 5),
    group_id bigint REFERENCES approver_groups (id),
    count    integer NOT NULL CHECK (count BETWEEN 1 AND 20),
    PRIMARY KEY (rule_id, position)
);

-- The rule an order is held to, fixed when it is submitted: a later edit
-- of the policy does not move the bar for an order already in review. The
-- snapshot holds the rule as it was (stages with group names, options),
-- why it matched (the facts the condition read) and the requester's
-- groups then.
CREATE TABLE order_approval_rules (
    order_id  bigint PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    version   integer NOT NULL,
    rule      jsonb NOT NULL,
    pinned_at timestamptz NOT NULL DEFAULT now()
);

-- Every decision says in which stage it counted and under which rule.
-- Decisions taken before this migration counted in the policy's one stage.
ALTER TABLE approvals ADD COLUMN stage integer NOT NULL DEFAULT 1 CHECK (stage BETWEEN 1 AND 5);
ALTER TABLE approvals ADD COLUMN rule jsonb;

-- Orders already in review or approved are pinned to the rule their policy
-- is today: one stage of required_approvers from anyone, its auto_send (the
-- built-in default, 1 and auto-send, where no policy applies).
INSERT INTO order_approval_rules (order_id, version, rule)
SELECT o.id, o.version, jsonb_build_object(
    'policy_id', COALESCE(p.id, 0), 'rules_version', COALESCE(p.rules_version, 1), 'rule_id', 0,
    'name', '', 'condition', 'true', 'otherwise', true,
    'stages', jsonb_build_array(jsonb_build_object('group_id', 0, 'group_name', '', 'count', COALESCE(p.required_approvers, 1))),
    'auto_send', COALESCE(p.auto_send, true), 'separate_requester_groups', false, 'exclude_admins', false,
    'valid_for_seconds', 0, 'requester_group_ids', '[]'::jsonb, 'facts', '{}'::jsonb)
FROM orders o
LEFT JOIN LATERAL (
    SELECT ap.* FROM approval_policies ap
    WHERE ap.product = o.product AND (ap.account_id = o.account_id OR ap.account_id IS NULL)
    ORDER BY ap.account_id NULLS LAST
    LIMIT 1) p ON true
WHERE o.status IN ('pending_approval', 'approved');

---- create above / drop below ----

ALTER TABLE approvals DROP COLUMN rule;
ALTER TABLE approvals DROP COLUMN stage;
DROP TABLE order_approval_rules;
DROP TABLE approval_rule_stages;
DROP TABLE approval_rules;
ALTER TABLE approval_policies DROP COLUMN rules_version;
DROP TABLE approver_group_members;
DROP TABLE approver_groups;
