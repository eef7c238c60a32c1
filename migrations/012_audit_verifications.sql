-- Checks of the audit chain run as background jobs (`/audit/verify`): one
-- row per check, with who asked, when, how far it got and what it found.
-- The job writes `checked` as it goes, so the page can show progress.
--
-- status: queued (asked, job waiting) → running → intact | broken | failed.
-- At most one check is queued or running at a time: a second request while
-- one runs is shown the running one (the partial unique index below).

CREATE TABLE audit_verifications (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status         text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'intact', 'broken', 'failed')),
    started_by     bigint NOT NULL REFERENCES users (id),
    requested_at   timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    -- checked counts entries verified so far (all of them once finished).
    checked        bigint NOT NULL DEFAULT 0 CHECK (checked >= 0),
    -- head_seq and head_hash are the last entry verified: the head of the
    -- chain when intact, the last good entry when broken.
    head_seq       bigint,
    head_hash      text,
    broken_seq     bigint,
    broken_id      bigint,
    broken_reason  text,
    CHECK ((status = 'broken') = (broken_seq IS NOT NULL)),
    CHECK ((status IN ('intact', 'broken', 'failed')) = (finished_at IS NOT NULL))
);

CREATE UNIQUE INDEX audit_verifications_one_active ON audit_verifications ((true))
    WHERE status IN ('queued', 'running');

CREATE INDEX audit_verifications_requested ON audit_verifications (requested_at DESC, id DESC);

---- create above / drop below ----

DROP TABLE audit_verifications;
