package templates

import (
	"strings"
	"time"
)

// UserRow is a user as the admin pages show one.
type UserRow struct {
	ID          int64
	Username    string
	DisplayName string
	Email       string
	Roles       []string
	Disabled    bool
	CreatedAt   time.Time
}

func (u UserRow) roles() string { return strings.Join(u.Roles, ", ") }

func (u UserRow) path() string { return "/admin/users/" + i64(u.ID) }
