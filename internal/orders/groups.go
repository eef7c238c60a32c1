package orders

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"dealdesk/internal/auth"
	"dealdesk/internal/db"
	"dealdesk/internal/fault"
)

// Group is an approver group: a team rules may ask for.
type Group = db.ApproverGroup

// GroupMember is a person in a group.
type GroupMember = db.GroupMember

// MaxGroupDescriptionLen bounds a group's description (the database checks it too).
const MaxGroupDescriptionLen = 200

// groupName is what migration 026 allows: a word conditions can write.
var groupName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,39}$`)

// Groups lists every group by name.
func (s *Service) Groups(ctx context.Context) ([]Group, error) {
	return db.ListApproverGroups(ctx, s.pool)
}

// Group reads one group and its members.
func (s *Service) Group(ctx context.Context, id int64) (Group, []GroupMember, error) {
	g, err := db.GetApproverGroup(ctx, s.pool, id)
	if errors.Is(err, db.ErrNotFound) {
		return Group{}, nil, notFound("group.not_found", err)
	}
	if err != nil {
		return Group{}, nil, err
	}
	members, err := db.ListApproverGroupMembers(ctx, s.pool, id)
	return g, members, err
}

// SaveGroup creates a group (id 0) or renames one, with its audit event.
// Only admins keep groups.
func (s *Service) SaveGroup(ctx context.Context, a Actor, id int64, name, description string) (int64, error) {
	if !a.Has(auth.RoleAdmin) {
		return 0, forbidden("group.admins_only")
	}
	name, description = strings.TrimSpace(name), strings.TrimSpace(description)
	fe := fault.Fields{}
	if !groupName.MatchString(name) {
		fe.Set("name", "group.name.invalid")
	}
	if len([]rune(description)) > MaxGroupDescriptionLen {
		fe.Set("description", "text.too_long", "max", strconv.Itoa(MaxGroupDescriptionLen))
	}
	if err := fe.OrNil(); err != nil {
		return 0, err
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		action := db.ActionGroupCreated
		details := map[string]any{"name": name, "description": description}
		if id == 0 {
			newID, err := db.InsertApproverGroup(ctx, tx, name, description)
			if err != nil {
				return err
			}
			id = newID
		} else {
			before, err := db.GetApproverGroup(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := db.UpdateApproverGroup(ctx, tx, id, name, description); err != nil {
				return err
			}
			action, details["before"] = db.ActionGroupUpdated, map[string]any{"name": before.Name, "description": before.Description}
		}
		return s.auditGroup(ctx, tx, a, id, action, details)
	})
	switch {
	case errors.Is(err, db.ErrConflict):
		return 0, fault.Fields{"name": fault.M("group.name.taken")}
	case errors.Is(err, db.ErrNotFound):
		return 0, notFound("group.not_found", err)
	}
	return id, err
}

// DeleteGroup removes a group no rule names.
func (s *Service) DeleteGroup(ctx context.Context, a Actor, id int64) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("group.admins_only")
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		g, err := db.GetApproverGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		if n, err := db.CountRuleStagesOfGroup(ctx, tx, id); err != nil {
			return err
		} else if n > 0 {
			return conflict("group.in_use", "name", g.Name)
		}
		if err := db.DeleteApproverGroup(ctx, tx, id); err != nil {
			return err
		}
		return s.auditGroup(ctx, tx, a, id, db.ActionGroupDeleted, map[string]any{"name": g.Name})
	})
	if errors.Is(err, db.ErrNotFound) {
		return notFound("group.not_found", err)
	}
	return err
}

// AddGroupMember puts the user called username in a group.
func (s *Service) AddGroupMember(ctx context.Context, a Actor, groupID int64, username string) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("group.admins_only")
	}
	username = strings.TrimSpace(username)
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		g, err := db.GetApproverGroup(ctx, tx, groupID)
		if errors.Is(err, db.ErrNotFound) {
			return notFound("group.not_found", err)
		}
		if err != nil {
			return err
		}
		u, err := db.GetUserByUsername(ctx, tx, username)
		if errors.Is(err, db.ErrNotFound) {
			return fault.Fields{"username": fault.M("group.member.no_such_user", "name", username)}
		}
		if err != nil {
			return err
		}
		added, err := db.AddApproverGroupMember(ctx, tx, groupID, u.ID)
		if err != nil || !added {
			return err
		}
		return s.auditGroup(ctx, tx, a, groupID, db.ActionGroupMemberAdded, map[string]any{
			"name": g.Name, "user_id": u.ID, "username": u.Username,
		})
	})
}

// RemoveGroupMember takes a user out of a group.
func (s *Service) RemoveGroupMember(ctx context.Context, a Actor, groupID, userID int64) error {
	if !a.Has(auth.RoleAdmin) {
		return forbidden("group.admins_only")
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		g, err := db.GetApproverGroup(ctx, tx, groupID)
		if errors.Is(err, db.ErrNotFound) {
			return notFound("group.not_found", err)
		}
		if err != nil {
			return err
		}
		removed, err := db.RemoveApproverGroupMember(ctx, tx, groupID, userID)
		if err != nil || !removed {
			return err
		}
		return s.auditGroup(ctx, tx, a, groupID, db.ActionGroupMemberRemoved, map[string]any{"name": g.Name, "user_id": userID})
	})
}

func (s *Service) auditGroup(ctx context.Context, tx db.DBTX, a Actor, id int64, action string, details map[string]any) error {
	if a.Via != "" {
		details["via"] = a.Via
	}
	_, err := db.AppendAudit(ctx, tx, db.AuditEvent{
		Actor: strconv.FormatInt(a.UserID, 10), Action: action, Subject: "approver_group:" + strconv.FormatInt(id, 10),
		RemoteAddr: a.RemoteAddr, RequestID: a.RequestID, Details: details,
	})
	return err
}
