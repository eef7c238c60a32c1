package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/web/static"
)

// Role is what a route demands of the person asking: nothing (RolePublic),
// being signed in with any role (RoleSignedIn), one staff role, or any one of
// several (AnyOf). A route must declare one: requireRole refuses to start a
// server with a route that does not.
type Role string

// The roles a route can require.
const (
	RolePublic    Role = "public"
	RoleSignedIn  Role = "signed-in"
	RoleRequester Role = Role(auth.RoleRequester)
	RoleApprover  Role = Role(auth.RoleApprover)
	RoleAdmin     Role = Role(auth.RoleAdmin)
	RoleAuditor   Role = Role(auth.RoleAuditor)
)

// AnyOf is a route open to holders of any of the staff roles given, such as
// AnyOf(RoleApprover, RoleAuditor).
func AnyOf(roles ...Role) Role {
	parts := make([]string, len(roles))
	for i, r := range roles {
		parts[i] = string(r)
	}
	return Role(strings.Join(parts, "|"))
}

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string
	Role    Role
	Handler echo.HandlerFunc
}

// routes lists every route the console serves. Each declares its role here,
// where a reviewer sees them all at once; register refuses a route without one.
func (s *Server) routes() []Route {
	return append(s.pageRoutes(), s.apiRoutes()...)
}

// apiRoutes mount the JSON API (Deps.API) under /api/v1. They are public
// here because the API checks every call's bearer token, scope and roles
// itself (internal/api/routes.go lists them); it never reads a cookie.
func (s *Server) apiRoutes() []Route {
	if s.deps.API == nil {
		return nil
	}
	h := echo.WrapHandler(s.deps.API)
	var out []Route
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		out = append(out, Route{m, apiPrefix, RolePublic, h}, Route{m, apiPrefix + "/*", RolePublic, h})
	}
	return out
}

// pageRoutes are the console's pages.
func (s *Server) pageRoutes() []Route {
	return []Route{
		// Health: for load balancers and orchestrators.
		{http.MethodGet, "/healthz", RolePublic, s.healthz},
		{http.MethodGet, "/readyz", RolePublic, s.readyz},
		// Prometheus: no session, but a bearer token (metrics.go).
		{http.MethodGet, "/metrics", RolePublic, s.metrics},

		// Static files under content-hashed names.
		{http.MethodGet, static.Prefix + "*", RolePublic, echo.WrapHandler(static.Handler())},

		// Signing in and out.
		{http.MethodGet, "/login", RolePublic, s.loginShow},
		{http.MethodPost, "/login", RolePublic, s.loginSubmit},
		{http.MethodPost, "/logout", RoleSignedIn, s.logout},
		// Single sign-on (404 unless an identity provider is configured).
		{http.MethodGet, "/login/oidc", RolePublic, s.loginOIDCStart},
		{http.MethodGet, "/login/oidc/callback", RolePublic, s.loginOIDCCallback},

		// The navigation's language switch: a visitor's choice goes in a
		// cookie, a signed-in person's on their profile.
		{http.MethodPost, "/language", RolePublic, s.languageSwitch},

		// Everyone signed in.
		{http.MethodGet, "/", RoleSignedIn, s.home},
		{http.MethodGet, "/account/profile", RoleSignedIn, s.profileEdit},
		{http.MethodPost, "/account/profile", RoleSignedIn, s.profileUpdate},
		{http.MethodGet, "/account/password", RoleSignedIn, s.passwordEdit},
		{http.MethodPost, "/account/password", RoleSignedIn, s.passwordUpdate},

		// API tokens: everyone manages their own (the service refuses
		// scopes beyond their roles); admins manage service tokens.
		{http.MethodGet, "/account/tokens", RoleSignedIn, s.tokenList},
		{http.MethodGet, "/account/notifications", RoleSignedIn, s.notificationPrefs},
		{http.MethodPost, "/account/notifications", RoleSignedIn, s.notificationPrefsSave},
		{http.MethodPost, "/account/tokens", RoleSignedIn, s.personalTokenCreate},
		{http.MethodPost, "/account/tokens/:id/revoke", RoleSignedIn, s.personalTokenRevoke},
		{http.MethodGet, "/admin/tokens", RoleAdmin, s.serviceTokenList},
		{http.MethodPost, "/admin/tokens", RoleAdmin, s.serviceTokenCreate},
		{http.MethodPost, "/admin/tokens/:id/revoke", RoleAdmin, s.serviceTokenRevoke},

		// Orders: composing, reading, editing, deleting, cloning, renewing.
		// Reading is open to anyone signed in (approvers and auditors read
		// orders); composing is for requesters, and the service checks again
		// that only the requester edits or deletes their own.
		{http.MethodGet, "/orders", RoleSignedIn, s.ordersList},
		{http.MethodGet, "/orders/export.csv", RoleSignedIn, s.ordersExport},
		{http.MethodGet, "/orders/export.jsonl", RoleSignedIn, s.ordersExport},
		{http.MethodGet, "/orders/new", RoleRequester, s.orderChoose},
		{http.MethodGet, "/orders/new/:product", RoleRequester, s.orderNew},
		{http.MethodPost, "/orders/new/:product", RoleRequester, s.orderCreate},
		{http.MethodGet, "/orders/:id", RoleSignedIn, s.orderShow},
		{http.MethodGet, "/orders/:id/edit", RoleRequester, s.orderEdit},
		{http.MethodPost, "/orders/:id/edit", RoleRequester, s.orderUpdate},
		{http.MethodPost, "/orders/:id/delete", RoleRequester, s.orderDelete},
		{http.MethodPost, "/orders/:id/clone", RoleRequester, s.orderClone},
		{http.MethodPost, "/orders/:id/renew", RoleRequester, s.orderRenew},

		// Admin: users and their sessions.
		{http.MethodGet, "/admin/users", RoleAdmin, s.userList},
		{http.MethodGet, "/admin/users/new", RoleAdmin, s.userNew},
		{http.MethodPost, "/admin/users", RoleAdmin, s.userCreate},
		{http.MethodGet, "/admin/users/:id", RoleAdmin, s.userEdit},
		{http.MethodPost, "/admin/users/:id", RoleAdmin, s.userUpdate},
		{http.MethodPost, "/admin/users/:id/disable", RoleAdmin, s.userDisable},
		{http.MethodPost, "/admin/users/:id/enable", RoleAdmin, s.userEnable},
		{http.MethodPost, "/admin/users/:id/password", RoleAdmin, s.userPasswordReset},
		{http.MethodGet, "/admin/users/:id/sessions", RoleAdmin, s.userSessions},
		{http.MethodPost, "/admin/users/:id/sessions/end", RoleAdmin, s.sessionEnd},
		{http.MethodPost, "/admin/users/:id/sessions/end-all", RoleAdmin, s.sessionEndAll},

		// Admin: Tencent Cloud accounts.
		{http.MethodGet, "/admin/accounts", RoleAdmin, s.accountList},
		{http.MethodGet, "/admin/accounts/new", RoleAdmin, s.accountNew},
		{http.MethodPost, "/admin/accounts", RoleAdmin, s.accountCreate},
		{http.MethodGet, "/admin/accounts/:id", RoleAdmin, s.accountEdit},
		{http.MethodPost, "/admin/accounts/:id/keys", RoleAdmin, s.accountKeysReplace},
		{http.MethodPost, "/admin/accounts/:id/disable", RoleAdmin, s.accountDisable},
		{http.MethodPost, "/admin/accounts/:id/enable", RoleAdmin, s.accountEnable},
		{http.MethodPost, "/admin/accounts/:id/check", RoleAdmin, s.accountCheck},
		{http.MethodPost, "/admin/accounts/:id/renewal-lead-days", RoleAdmin, s.accountRenewalLeadDays},

		// Approvals: the inbox, an order's approval page and the moves on it.
		// The domain checks who may make each move on which order (never
		// approving one's own); the roles here only keep strangers out.
		{http.MethodGet, "/approvals", RoleApprover, s.approvalInbox},
		{http.MethodGet, "/orders/:id/approval", RoleSignedIn, s.approvalShow},
		{http.MethodPost, "/orders/:id/submit", RoleRequester, s.orderSubmit},
		{http.MethodPost, "/orders/:id/withdraw", RoleRequester, s.orderWithdraw},
		{http.MethodPost, "/orders/:id/cancel", AnyOf(RoleRequester, RoleAdmin), s.orderCancel},
		{http.MethodPost, "/orders/:id/approve", RoleApprover, s.orderApprove},
		{http.MethodPost, "/orders/:id/reject", RoleApprover, s.orderReject},

		// Sending: "Send now" for orders whose policy sends by hand (the
		// requester, an approver or an admin), and settling an unknown
		// outcome (approvers and admins). The domain checks the rest: whose
		// order, which status, which hash, which product.
		{http.MethodGet, "/orders/:id/send", AnyOf(RoleRequester, RoleApprover, RoleAdmin), s.orderSendConfirm},
		{http.MethodPost, "/orders/:id/send", AnyOf(RoleRequester, RoleApprover, RoleAdmin), s.orderSend},
		// Delivery on a date: set or clear it, and take back a scheduled
		// send before it starts (the requester, approvers, admins).
		{http.MethodPost, "/orders/:id/delivery", AnyOf(RoleRequester, RoleApprover, RoleAdmin), s.orderDelivery},
		{http.MethodPost, "/orders/:id/delivery/cancel", AnyOf(RoleRequester, RoleApprover, RoleAdmin), s.orderDeliveryCancel},
		{http.MethodPost, "/orders/:id/resend", AnyOf(RoleApprover, RoleAdmin), s.orderResend},
		{http.MethodPost, "/orders/:id/settle", AnyOf(RoleApprover, RoleAdmin), s.orderSettle},
		{http.MethodPost, "/orders/:id/reconcile", AnyOf(RoleApprover, RoleAdmin), s.orderConfirmLookup},

		// History and audit: read-only, for admins and auditors (an order's
		// history is open to whoever may read the order). Checks of the
		// chain run in the background: admins start them, admins and
		// auditors read them (auditors change nothing; see
		// canStartAuditCheck).
		{http.MethodGet, "/orders/:id/history", RoleSignedIn, s.orderHistory},
		{http.MethodGet, "/audit", AnyOf(RoleAdmin, RoleAuditor), s.auditList},
		{http.MethodGet, "/audit/verify", AnyOf(RoleAdmin, RoleAuditor), s.auditVerify},
		{http.MethodPost, "/audit/verify", RoleAdmin, s.auditVerifyStart},
		{http.MethodGet, "/audit/verify/:id", AnyOf(RoleAdmin, RoleAuditor), s.auditVerifyShow},
		{http.MethodGet, "/audit/export.csv", AnyOf(RoleAdmin, RoleAuditor), s.auditExport},
		{http.MethodGet, "/audit/export.jsonl", AnyOf(RoleAdmin, RoleAuditor), s.auditExport},

		// Prices (issue 16): admins and auditors read the list, admins
		// replace it.
		{http.MethodGet, "/admin/prices", AnyOf(RoleAdmin, RoleAuditor), s.priceList},
		{http.MethodGet, "/admin/prices/export.csv", AnyOf(RoleAdmin, RoleAuditor), s.priceExport},
		{http.MethodPost, "/admin/prices", RoleAdmin, s.priceImport},
		// Budgets and cost centres (issue 16): admins keep them, auditors
		// read them.
		{http.MethodGet, "/admin/budgets", AnyOf(RoleAdmin, RoleAuditor), s.budgetList},
		{http.MethodPost, "/admin/budgets", RoleAdmin, s.budgetCreate},
		{http.MethodPost, "/admin/budgets/:id", RoleAdmin, s.budgetUpdate},
		{http.MethodPost, "/admin/budgets/:id/delete", RoleAdmin, s.budgetDelete},
		{http.MethodPost, "/admin/cost-centres", RoleAdmin, s.costCentreCreate},
		{http.MethodPost, "/admin/cost-centres/:id/retire", RoleAdmin, s.costCentreRetire},
		// Spend (issue 16, part 6): read-only, for those who judge spend
		// (approvers), keep budgets (admins) or audit (auditors).
		{http.MethodGet, "/spend", AnyOf(RoleAdmin, RoleApprover, RoleAuditor), s.spendShow},
		// Renewals (issue 18, part 5): approvers and admins see every
		// purchase's expiry, requesters their own.
		{http.MethodGet, "/renewals", AnyOf(RoleAdmin, RoleApprover, RoleRequester), s.renewalsShow},
		{http.MethodGet, "/spend/export.csv", AnyOf(RoleAdmin, RoleApprover, RoleAuditor), s.spendExportCSV},
		{http.MethodGet, "/spend/export.jsonl", AnyOf(RoleAdmin, RoleApprover, RoleAuditor), s.spendExportJSONL},

		// Admin: approval policies.
		{http.MethodGet, "/admin/policies", RoleAdmin, s.policyList},
		{http.MethodGet, "/admin/policies/new", RoleAdmin, s.policyNew},
		{http.MethodPost, "/admin/policies", RoleAdmin, s.policyCreate},
		{http.MethodGet, "/admin/policies/:id", RoleAdmin, s.policyEdit},
		{http.MethodPost, "/admin/policies/:id", RoleAdmin, s.policyUpdate},
		{http.MethodPost, "/admin/policies/:id/delete", RoleAdmin, s.policyDelete},
		{http.MethodPost, "/admin/policies/:id/secret", RoleAdmin, s.policySecret},
		{http.MethodGet, "/admin/deliveries", RoleAdmin, s.deliveryList},
		{http.MethodPost, "/admin/deliveries/:id/resend", RoleAdmin, s.deliveryResend},
		// Admin: a policy's rules (issue 17); the GET also tests a rule.
		{http.MethodGet, "/admin/policies/:id/rules", RoleAdmin, s.policyRules},
		{http.MethodPost, "/admin/policies/:id/rules", RoleAdmin, s.ruleCreate},
		{http.MethodGet, "/admin/policies/:id/rules/:rule", RoleAdmin, s.ruleEdit},
		{http.MethodPost, "/admin/policies/:id/rules/:rule", RoleAdmin, s.ruleUpdate},
		{http.MethodPost, "/admin/policies/:id/rules/:rule/delete", RoleAdmin, s.ruleDelete},
		{http.MethodPost, "/admin/policies/:id/rules/:rule/move", RoleAdmin, s.ruleMove},
		// Admin: approver groups and their members.
		{http.MethodGet, "/admin/groups", RoleAdmin, s.groupList},
		{http.MethodPost, "/admin/groups", RoleAdmin, s.groupCreate},
		{http.MethodGet, "/admin/groups/:id", RoleAdmin, s.groupShow},
		{http.MethodPost, "/admin/groups/:id", RoleAdmin, s.groupUpdate},
		{http.MethodPost, "/admin/groups/:id/delete", RoleAdmin, s.groupDelete},
		{http.MethodPost, "/admin/groups/:id/members", RoleAdmin, s.groupMemberAdd},
		{http.MethodPost, "/admin/groups/:id/members/:user/delete", RoleAdmin, s.groupMemberRemove},
	}
}
