package db

import (
	"context"
	"fmt"

	"dealdesk/internal/db/sqlcgen"
)

// ApproverGroup is a team approvals may ask for (migration 026).
type ApproverGroup struct {
	ID          int64
	Name        string
	Description string
	// Members is filled by ListApproverGroups.
	Members int
}

// GroupMember is a person in a group, as the group's page lists them.
type GroupMember struct {
	UserID      int64
	Username    string
	DisplayName string
	Disabled    bool
}

// GroupRef names a group a person is in.
type GroupRef struct {
	ID   int64
	Name string
}

// ListApproverGroups lists every group by name, with its member count.
func ListApproverGroups(ctx context.Context, q DBTX) ([]ApproverGroup, error) {
	rows, err := queries.ListApproverGroups(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("db: list approver groups: %w", Translate(err))
	}
	out := make([]ApproverGroup, len(rows))
	for i, r := range rows {
		out[i] = ApproverGroup{ID: r.ID, Name: r.Name, Description: r.Description, Members: int(r.Members)}
	}
	return out, nil
}

// GetApproverGroup reads one group; ErrNotFound when there is none.
func GetApproverGroup(ctx context.Context, q DBTX, id int64) (ApproverGroup, error) {
	r, err := queries.GetApproverGroup(ctx, q, id)
	if err != nil {
		return ApproverGroup{}, fmt.Errorf("db: get approver group %d: %w", id, Translate(err))
	}
	return ApproverGroup{ID: r.ID, Name: r.Name, Description: r.Description}, nil
}

// InsertApproverGroup stores a group; ErrConflict when the name is taken.
func InsertApproverGroup(ctx context.Context, q DBTX, name, description string) (int64, error) {
	id, err := queries.InsertApproverGroup(ctx, q, sqlcgen.InsertApproverGroupParams{Name: name, Description: description})
	if err != nil {
		return 0, fmt.Errorf("db: insert approver group: %w", Translate(err))
	}
	return id, nil
}

// UpdateApproverGroup renames a group; ErrNotFound, ErrConflict.
func UpdateApproverGroup(ctx context.Context, q DBTX, id int64, name, description string) error {
	n, err := queries.UpdateApproverGroup(ctx, q, sqlcgen.UpdateApproverGroupParams{ID: id, Name: name, Description: description})
	if err != nil {
		return fmt.Errorf("db: update approver group %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: update approver group %d: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteApproverGroup removes a group and its memberships; ErrNotFound.
func DeleteApproverGroup(ctx context.Context, q DBTX, id int64) error {
	n, err := queries.DeleteApproverGroup(ctx, q, id)
	if err != nil {
		return fmt.Errorf("db: delete approver group %d: %w", id, Translate(err))
	}
	if n == 0 {
		return fmt.Errorf("db: delete approver group %d: %w", id, ErrNotFound)
	}
	return nil
}

// CountRuleStagesOfGroup counts the rule stages that name a group.
func CountRuleStagesOfGroup(ctx context.Context, q DBTX, id int64) (int, error) {
	n, err := queries.CountRuleStagesOfGroup(ctx, q, &id)
	if err != nil {
		return 0, fmt.Errorf("db: count stages of group %d: %w", id, Translate(err))
	}
	return int(n), nil
}

// ListApproverGroupMembers lists a group's members by username.
func ListApproverGroupMembers(ctx context.Context, q DBTX, groupID int64) ([]GroupMember, error) {
	rows, err := queries.ListApproverGroupMembers(ctx, q, groupID)
	if err != nil {
		return nil, fmt.Errorf("db: list members of group %d: %w", groupID, Translate(err))
	}
	out := make([]GroupMember, len(rows))
	for i, r := range rows {
		out[i] = GroupMember{UserID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Disabled: r.Disabled}
	}
	return out, nil
}

// AddApproverGroupMember puts a user in a group; false when already there.
func AddApproverGroupMember(ctx context.Context, q DBTX, groupID, userID int64) (bool, error) {
	n, err := queries.AddApproverGroupMember(ctx, q, sqlcgen.AddApproverGroupMemberParams{GroupID: groupID, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("db: add member %d to group %d: %w", userID, groupID, Translate(err))
	}
	return n == 1, nil
}

// RemoveApproverGroupMember takes a user out of a group; false when not in it.
func RemoveApproverGroupMember(ctx context.Context, q DBTX, groupID, userID int64) (bool, error) {
	n, err := queries.RemoveApproverGroupMember(ctx, q, sqlcgen.RemoveApproverGroupMemberParams{GroupID: groupID, UserID: userID})
	if err != nil {
		return false, fmt.Errorf("db: remove member %d from group %d: %w", userID, groupID, Translate(err))
	}
	return n == 1, nil
}

// ListUserGroups lists the groups a person is in, by name.
func ListUserGroups(ctx context.Context, q DBTX, userID int64) ([]GroupRef, error) {
	rows, err := queries.ListUserGroups(ctx, q, userID)
	if err != nil {
		return nil, fmt.Errorf("db: list groups of user %d: %w", userID, Translate(err))
	}
	out := make([]GroupRef, len(rows))
	for i, r := range rows {
		out[i] = GroupRef{ID: r.ID, Name: r.Name}
	}
	return out, nil
}
