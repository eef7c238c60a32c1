package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
)

// Route is one entry of the API's route table: the token scopes that may
// call it (any one will do) and, when not empty, the roles the token's user
// must hold (as the token's scopes leave them; see auth.Principal.Roles).
type Route struct {
	Method  string
	Path    string
	Public  bool
	Scopes  []auth.Scope
	Roles   []auth.Role
	Handler echo.HandlerFunc
}

var (
	read    = []auth.Scope{auth.ScopeRead}
	compose = []auth.Scope{auth.ScopeCompose}
	approve = []auth.Scope{auth.ScopeApprove}
)

func roles(rs ...auth.Role) []auth.Role { return rs }

// routes lists every route of the API with what it demands. The domain
// checks the rest, as it does for the pages: whose order, which status,
// which version and hash, never one's own approval.
func (s *Server) routes() []Route {
	return []Route{
		// The API's own description, for client generators.
		{Method: http.MethodGet, Path: "/openapi.json", Public: true, Handler: s.openAPI},
		{Method: http.MethodGet, Path: "/me", Scopes: []auth.Scope{auth.ScopeRead, auth.ScopeCompose, auth.ScopeApprove}, Handler: s.me},

		// Orders: reading is open to every token with read, as the pages
		// are to everyone signed in.
		{Method: http.MethodGet, Path: "/orders", Scopes: read, Handler: s.ordersList},
		{Method: http.MethodGet, Path: "/orders/export", Scopes: read, Handler: s.ordersExport},
		{Method: http.MethodGet, Path: "/orders/:id", Scopes: read, Handler: s.orderGet},
		{Method: http.MethodGet, Path: "/orders/:id/attempts", Scopes: read, Handler: s.orderAttempts},

		// Composing and moving one's orders.
		{Method: http.MethodPost, Path: "/orders", Scopes: compose, Roles: roles(auth.RoleRequester), Handler: s.orderCreate},
		{Method: http.MethodPost, Path: "/orders/:id/submit", Scopes: compose, Roles: roles(auth.RoleRequester), Handler: s.orderSubmit},
		{Method: http.MethodPost, Path: "/orders/:id/withdraw", Scopes: compose, Roles: roles(auth.RoleRequester), Handler: s.orderWithdraw},
		{Method: http.MethodPost, Path: "/orders/:id/cancel", Scopes: compose, Roles: roles(auth.RoleRequester, auth.RoleAdmin), Handler: s.orderCancel},

		// Deciding: personal tokens with approve only (never a service token).
		{Method: http.MethodPost, Path: "/orders/:id/approve", Scopes: approve, Roles: roles(auth.RoleApprover), Handler: s.orderApprove},
		{Method: http.MethodPost, Path: "/orders/:id/reject", Scopes: approve, Roles: roles(auth.RoleApprover), Handler: s.orderReject},

		// Sending ("Send now") and settling an unknown outcome by hand.
		{Method: http.MethodPost, Path: "/orders/:id/send", Scopes: []auth.Scope{auth.ScopeCompose, auth.ScopeApprove},
			Roles: roles(auth.RoleRequester, auth.RoleApprover, auth.RoleAdmin), Handler: s.orderSend},
		{Method: http.MethodPost, Path: "/orders/:id/settle", Scopes: approve, Roles: roles(auth.RoleApprover, auth.RoleAdmin), Handler: s.orderSettle},

		// The audit log, read-only, for admins and auditors.
		{Method: http.MethodGet, Path: "/audit", Scopes: read, Roles: roles(auth.RoleAdmin, auth.RoleAuditor), Handler: s.auditList},
		{Method: http.MethodGet, Path: "/audit/export", Scopes: read, Roles: roles(auth.RoleAdmin, auth.RoleAuditor), Handler: s.auditExport},
	}
}

func scopeNames(ss []auth.Scope) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, " or ")
}
