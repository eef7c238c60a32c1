package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Role is a staff role. A user may hold several.
type Role string

// The roles. Their powers are decided where routes and actions are declared;
// here they are only names.
const (
	// RoleRequester composes purchase orders and submits them for approval.
	RoleRequester Role = "requester"
	// RoleApprover approves or rejects other people's orders.
	RoleApprover Role = "approver"
	// RoleAdmin manages users, accounts and policies.
	RoleAdmin Role = "admin"
	// RoleAuditor reads history and the audit log, and changes nothing.
	RoleAuditor Role = "auditor"
)

// AllRoles lists every role in the order pages show them.
var AllRoles = []Role{RoleRequester, RoleApprover, RoleAdmin, RoleAuditor}

// Valid reports whether r is one of AllRoles.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// ParseRoles reads a comma-separated list such as "admin,approver". It
// refuses unknown names and returns the roles sorted and without repeats.
func ParseRoles(s string) ([]Role, error) {
	var names []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			names = append(names, part)
		}
	}
	return RolesFromStrings(names)
}

// RolesFromStrings checks and normalises role names (form values, database
// rows): sorted in AllRoles order, without repeats.
func RolesFromStrings(names []string) ([]Role, error) {
	var out []Role
	for _, n := range names {
		r := Role(strings.ToLower(strings.TrimSpace(n)))
		if !r.Valid() {
			return nil, fmt.Errorf("auth: unknown role %q (known: %s)", n, joinRoles(AllRoles))
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Role) int { return slices.Index(AllRoles, a) - slices.Index(AllRoles, b) })
	return out, nil
}

func joinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func roleStrings(rs []Role) []string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return s
}
