-- name: GetUserIdentity :one
SELECT * FROM user_identities WHERE issuer = @issuer AND subject = @subject FOR UPDATE;

-- name: InsertUserIdentity :exec
INSERT INTO user_identities (issuer, subject, user_id) VALUES (@issuer, @subject, @user_id);

-- name: TouchUserIdentity :exec
UPDATE user_identities SET last_login_at = now() WHERE issuer = @issuer AND subject = @subject;

-- name: SetUserRoles :exec
UPDATE users SET roles = @roles, updated_at = now() WHERE id = @id;
