-- Staff accounts, their sessions and the login throttle. Everything that
-- decides who is signed in lives here, not in a console's memory: the console
-- runs as several replicas behind one load balancer.

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- username keeps the case it was typed with; uniqueness ignores case (the
    -- index below), so "Alice" and "alice" can never be two people.
    username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    display_name        text NOT NULL CHECK (display_name <> '' AND length(display_name) <= 100),
    email               text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
    -- password_hash is an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash),
    -- which carries its own parameters so they can be raised later.
    password_hash       text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    roles               text[] NOT NULL DEFAULT '{}'
                        CHECK (roles <@ ARRAY['requester', 'approver', 'admin', 'auditor']::text[]),
    disabled            boolean NOT NULL DEFAULT false,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username));

-- A session is one signed-in browser. The cookie carries a random token; the
-- row is keyed by its sha256, so a copy of this table signs nobody in.
CREATE TABLE sessions (
    id           bytea PRIMARY KEY CHECK (octet_length(id) = 32),
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- last_seen_at drives the idle timeout; expires_at is the absolute one,
    -- fixed at login and never extended.
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    -- user_agent and remote_addr are for the admin's list of sessions.
    user_agent   text NOT NULL DEFAULT '',
    remote_addr  text NOT NULL DEFAULT '',
    -- data holds the session's values (flash messages); never a secret.
    data         jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- login_throttle counts failed sign-ins per key ('user:<lower username>' or
-- 'addr:<client address>') in a fixed window. Keys exist for usernames that
-- match nobody too, so the throttle behaves the same either way.
CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    failures     integer NOT NULL CHECK (failures >= 0),
    window_start timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_throttle_window_start_idx ON login_throttle (window_start);

---- create above / drop below ----

DROP TABLE login_throttle;
DROP TABLE sessions;
DROP TABLE users;
