// Package templates holds the console's pages as templ components. Each page
// takes a typed view model; nothing here reaches the database or the cloud.
package templates

import "slices"

// Page is what the layout needs from every page's view model.
type Page struct {
	Title string
	// Sandbox is true when Tencent Cloud calls go to the built-in sandbox.
	Sandbox bool
	// CSRFToken is put in every form by CSRFField.
	CSRFToken string
	// User is the signed-in user, nil on public pages.
	User *CurrentUser
	// Flash is a one-time message from the previous request.
	Flash *Flash
	// ApprovalsWaiting is the approvals inbox's count for the navigation
	// (approvers only).
	ApprovalsWaiting int
	// Path is the page's own path and query, where the language switch
	// returns to.
	Path string
	// UnknownOrders counts the orders whose outcome is unknown, for the
	// navigation of approvers and admins (who settle them).
	UnknownOrders int
	// Refresh, when above zero, reloads the page after that many seconds
	// (a meta refresh: progress pages work without scripts).
	Refresh int
}

// CurrentUser is the signed-in user as the layout shows them.
type CurrentUser struct {
	Username    string
	DisplayName string
	Roles       []string
}

// Has reports whether the user holds a role, for showing or hiding links.
// It decides nothing: every route checks its role on the server.
func (u *CurrentUser) Has(role string) bool {
	if u == nil {
		return false
	}
	return slices.Contains(u.Roles, role)
}

// Flash is a message shown once at the top of a page.
type Flash struct {
	Kind    string // "ok" or "error"
	Message string
}
