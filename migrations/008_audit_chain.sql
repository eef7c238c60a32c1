-- A hash chain over the audit log. Each entry stores its place in the chain
-- (chain_seq), the hash of the entry before it, and its own hash: sha256 of
-- the previous hash and every field of the entry, each written as
-- "<byte length>:<text>" so no two entries can run together into the same
-- bytes. Changing, inserting or removing an entry in the middle breaks every
-- link after it; `console audit verify` finds the first broken one.
--
-- The chain is assigned in a trigger, in the writing transaction, under a
-- transaction-scoped advisory lock: concurrent writers queue for the head
-- of the chain, so two entries never claim the same place, and an entry
-- whose transaction rolls back never enters the chain.

ALTER TABLE audit_events
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash text,
    ADD COLUMN hash      text;

CREATE FUNCTION audit_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT octet_length(coalesce(v, '')) || ':' || coalesce(v, '') $$;

-- audit_event_hash is the chain's definition; internal/db/audit_chain.go
-- computes the same bytes to verify without trusting this function.
CREATE FUNCTION audit_event_hash(prev text, seq bigint, e audit_events) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(
        audit_field(prev) || audit_field(seq::text) || audit_field(e.id::text) ||
        audit_field(to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ||
        audit_field(e.actor) || audit_field(e.action) || audit_field(e.subject) ||
        audit_field(e.remote_addr) || audit_field(e.request_id) || audit_field(e.details::text),
        'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(7211008);
    SELECT chain_seq, hash INTO last_seq, last_hash
    FROM audit_events WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
    NEW.chain_seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.hash := audit_event_hash(NEW.prev_hash, NEW.chain_seq, NEW);
    RETURN NEW;
END;
$$;

-- Entries written before this migration join the chain in id order.
DO $$
DECLARE
    r audit_events;
    seq bigint := 0;
    prev text := repeat('0', 64);
    h text;
BEGIN
    ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
    FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
        seq := seq + 1;
        h := audit_event_hash(prev, seq, r);
        UPDATE audit_events SET chain_seq = seq, prev_hash = prev, hash = h WHERE id = r.id;
        prev := h;
    END LOOP;
    ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
END;
$$;

ALTER TABLE audit_events
    ALTER COLUMN chain_seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT audit_events_chain_seq_key UNIQUE (chain_seq);

CREATE TRIGGER audit_events_chain
    BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();

---- create above / drop below ----

DROP TRIGGER audit_events_chain ON audit_events;
ALTER TABLE audit_events DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
DROP FUNCTION audit_events_chain();
DROP FUNCTION audit_event_hash(text, bigint, audit_events);
DROP FUNCTION audit_field(text);
