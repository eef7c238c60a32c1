-- name: ListApproverGroups :many
-- Every group with how many members it has, by name.
SELECT g.*, (SELECT count(*)::int FROM approver_group_members m WHERE m.group_id = g.id) AS members
FROM approver_groups g
ORDER BY g.name;

-- name: GetApproverGroup :one
SELECT * FROM approver_groups WHERE id = @id;

-- name: InsertApproverGroup :one
INSERT INTO approver_groups (name, description) VALUES (@name, @description) RETURNING id;

-- name: UpdateApproverGroup :execrows
UPDATE approver_groups SET name = @name, description = @description WHERE id = @id;

-- name: DeleteApproverGroup :execrows
DELETE FROM approver_groups WHERE id = @id;

-- name: ListApproverGroupMembers :many
SELECT u.id, u.username, u.display_name, u.disabled
FROM approver_group_members m
JOIN users u ON u.id = m.user_id
WHERE m.group_id = @group_id
ORDER BY lower(u.username);

-- name: AddApproverGroupMember :execrows
INSERT INTO approver_group_members (group_id, user_id) VALUES (@group_id, @user_id)
ON CONFLICT DO NOTHING;

-- name: RemoveApproverGroupMember :execrows
DELETE FROM approver_group_members WHERE group_id = @group_id AND user_id = @user_id;

-- name: ListUserGroups :many
-- The groups a person is in, by name.
SELECT g.id, g.name
FROM approver_group_members m
JOIN approver_groups g ON g.id = m.group_id
WHERE m.user_id = @user_id
ORDER BY g.name;

-- name: CountRuleStagesOfGroup :one
-- How many rule stages name a group: a group in use is not deleted.
SELECT count(*)::int FROM approval_rule_stages WHERE group_id = @group_id;
