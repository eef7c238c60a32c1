-- The audit chain's head is taken at commit, not at insert. Migration 008
-- gave each entry its place in a BEFORE INSERT trigger under an advisory
-- lock held to the end of the transaction: every transaction that wrote an
-- audit entry then queued behind every other for the rest of its work (a
-- send's recording transaction, a decision), so sends on different keys ran
-- one after another.
--
-- Now the insert gives the entry a placeholder place (minus its id, which
-- no other entry can hold and only its own transaction can see), and a
-- deferred constraint trigger, which runs as the transaction commits, takes
-- the same lock, reads the head and writes the entry's place and hashes.
-- The lock is held from there to the end of the commit only. The chain is
-- unchanged: one writer at a time extends it, each entry's hash covers the
-- previous hash and every field, a rolled-back entry never takes a place,
-- and no committed entry keeps a placeholder (deferred triggers run before
-- the commit, or fail it).

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.chain_seq := -NEW.id;
    NEW.prev_hash := '';
    NEW.hash := '';
    RETURN NEW;
END;
$$;

CREATE FUNCTION audit_events_chain_at_commit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash text;
    seq       bigint;
    prev      text;
BEGIN
    PERFORM pg_advisory_xact_lock(7211008);
    SELECT chain_seq, hash INTO last_seq, last_hash
    FROM audit_events WHERE chain_seq > 0 ORDER BY chain_seq DESC LIMIT 1;
    seq := coalesce(last_seq, 0) + 1;
    prev := coalesce(last_hash, repeat('0', 64));
    UPDATE audit_events
    SET chain_seq = seq, prev_hash = prev, hash = audit_event_hash(prev, seq, NEW)
    WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER audit_events_chain_at_commit
    AFTER INSERT ON audit_events
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain_at_commit();

-- Append-only still, with one exception: the chaining trigger (and nothing
-- called directly by a statement) may give an entry of its own transaction
-- its place, once, changing nothing else.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
       AND OLD.chain_seq = -OLD.id AND NEW.chain_seq > 0
       AND (NEW.id, NEW.occurred_at, NEW.actor, NEW.action, NEW.subject, NEW.remote_addr, NEW.request_id, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor, OLD.action, OLD.subject, OLD.remote_addr, OLD.request_id, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

---- create above / drop below ----

CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER audit_events_chain_at_commit ON audit_events;
DROP FUNCTION audit_events_chain_at_commit();

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
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
