-- name: InsertUser :one
INSERT INTO users (username, display_name, email, password_hash, roles, must_change_password)
VALUES (@username, @display_name, @email, @password_hash, @roles, @must_change_password)
RETURNING *;

-- name: GetUser :one
SELECT * FROM users WHERE id = @id;

-- name: GetUserForUpdate :one
SELECT * FROM users WHERE id = @id FOR UPDATE;

-- name: GetUserByUsername :one
SELECT * FROM users WHERE lower(username) = lower(@username);

-- name: ListUsers :many
SELECT * FROM users ORDER BY lower(username);

-- name: CountUsers :one
SELECT count(*) FROM users;

-- name: LockActiveAdmins :many
-- Locks every enabled admin so two requests cannot each remove a different
-- "other" admin and leave none.
SELECT id FROM users
WHERE 'admin' = ANY (roles) AND NOT disabled
ORDER BY id
FOR UPDATE;

-- name: UpdateUserProfile :one
UPDATE users
SET display_name = @display_name, email = @email, roles = @roles, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: UpdateUserPassword :one
-- must_change_password is true when someone other than the user chose the
-- password (a generated one), false when the user chose it.
UPDATE users
SET password_hash = @password_hash, must_change_password = @must_change_password,
    password_changed_at = now(), updated_at = now()
WHERE id = @id
RETURNING *;

-- name: RehashUserPassword :exec
-- A stronger hash of the same password: not a password change, so
-- password_changed_at and the user's sessions stay as they are.
UPDATE users SET password_hash = @password_hash WHERE id = @id AND password_hash = @old_hash;

-- name: UpdateUserDisabled :one
UPDATE users
SET disabled = @disabled, updated_at = now()
WHERE id = @id
RETURNING *;

-- name: UpdateUserPreferences :one
-- The person's own language and time zone (NULL: not chosen).
UPDATE users
SET language = sqlc.narg(language), time_zone = sqlc.narg(time_zone), updated_at = now()
WHERE id = @id
RETURNING *;
