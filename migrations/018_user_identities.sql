-- Single sign-on (OIDC): a person who signs in through the identity provider
-- is found again by the provider's issuer and subject, never by username (a
-- provider may rename people or reuse names). The first sign-in creates the
-- user (with a random password nobody knows) and this link; every sign-in
-- takes the roles the provider's claim maps to.
CREATE TABLE user_identities (
    issuer     text NOT NULL CHECK (issuer <> '' AND length(issuer) <= 500),
    subject    text NOT NULL CHECK (subject <> '' AND length(subject) <= 255),
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX user_identities_user_idx ON user_identities (user_id);

---- create above / drop below ----

DROP TABLE user_identities;
