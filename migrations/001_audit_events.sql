-- The one audit log. Every state change appends a row in the same transaction
-- as the change itself. Rows are never changed or removed: the trigger below
-- refuses it, whoever asks.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    -- actor is a user id as text, 'system', or 'anonymous'.
    actor       text NOT NULL,
    action      text NOT NULL CHECK (action <> ''),
    -- subject names what the event is about, such as 'user:42' or 'order:7'.
    subject     text NOT NULL DEFAULT '',
    remote_addr text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject, id);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

---- create above / drop below ----

DROP TABLE audit_events;
DROP FUNCTION audit_events_refuse_change();
