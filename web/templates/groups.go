package templates

import "strconv"

// GroupRow is an approver group as the admins' list shows it.
type GroupRow struct {
	ID          int64
	Name        string
	Description string
	Members     int
}

func groupPath(id int64) string { return "/admin/groups/" + strconv.FormatInt(id, 10) }

// GroupListView lists the approver groups, with the form that adds one.
type GroupListView struct {
	Page
	Groups []GroupRow
	// Name and Description are the new group's, as typed.
	Name, Description string
	Errors            map[string]string
}

// GroupMemberRow is a person in a group.
type GroupMemberRow struct {
	UserID      int64
	Username    string
	DisplayName string
	Disabled    bool
}

// GroupView is one group: its name, members and the forms that change them.
type GroupView struct {
	Page
	ID                int64
	Name, Description string
	Members           []GroupMemberRow
	// Username is the member being added, as typed.
	Username string
	Errors   map[string]string
}

func (v GroupView) path() string { return groupPath(v.ID) }
