-- Issue 14: a user whose password was generated (created or reset by an
-- admin, or the first admin of `make run`) must choose their own at first
-- sign-in. Until then every page but "Change password" and signing out
-- sends them there. Users that exist already keep working as they do.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

---- create above / drop below ----

ALTER TABLE users DROP COLUMN must_change_password;
