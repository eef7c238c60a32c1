// Package web is the HTTP face of the console: echo handlers, one file per
// page action, every route listed in routes.go with the role it requires.
// Handlers are thin: parse, call the domain, render or redirect.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"dealdesk/internal/accounts"
	"dealdesk/internal/auth"
	"dealdesk/internal/history"
	"dealdesk/internal/metrics"
	"dealdesk/internal/notify"
	"dealdesk/internal/oidc"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
	"dealdesk/internal/tcapi"
)

// Pinger is what readiness needs from the database.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the web layer is given; it builds nothing itself.
type Deps struct {
	Log *slog.Logger
	DB  Pinger
	// Auth signs people in and out and manages users and sessions. Required.
	Auth *auth.Service
	// Accounts holds the Tencent Cloud accounts and opens their keys for
	// calls. Required.
	Accounts *accounts.Service
	// History reads order history and the audit log for the history and
	// audit pages. Required by those pages.
	History *history.Service
	// AuditChecks starts checks of the audit chain in the background (the
	// job queue). Required by POST /audit/verify.
	AuditChecks AuditChecker
	// TencentCloud is the one client every Tencent Cloud call goes
	// through, pointed at the real endpoints, a configured endpoint or the
	// in-process sandbox. Required by the pages that call it.
	TencentCloud *tcapi.Client
	Sandbox      bool
	BodyLimit    string
	Version      string
	// TrustProxy believes X-Forwarded-Proto and X-Forwarded-For from a
	// proxy on a loopback or private address (CONSOLE_TRUST_PROXY).
	TrustProxy bool

	// Orders composes and moves orders (the order pages need it), and
	// runs approvals and approval policies.
	Orders *orders.Service
	// Notify holds people's notification preferences, the webhooks'
	// signing secrets and the delivery log. Required by those pages.
	Notify *notify.Service
	// MailOn says the console sends e-mail (CONSOLE_SMTP_URL), for the
	// preferences page.
	MailOn bool
	// Sender settles orders whose outcome is unknown (a resend with the
	// stored ClientToken, or what a person found). Sends themselves run
	// in the job queue; the pages only ask for them through Orders.
	Sender *sending.Sender
	// SandboxCalls lists what the in-process sandbox has received, so an
	// order page can show it beside each send attempt. Nil outside sandbox
	// mode: a real cloud keeps no such record for us.
	SandboxCalls func() []SandboxCall
	// OIDC signs people in through an identity provider when set;
	// OIDCName labels its button. NoPasswordLogin turns local passwords off
	// (CONSOLE_PASSWORD_LOGIN=false).
	OIDC            *oidc.Provider
	OIDCName        string
	NoPasswordLogin bool
	// API is the JSON API (internal/api), mounted at /api/v1 when set. It
	// authenticates with bearer tokens only and answers its own errors.
	API http.Handler
	// OnServerError, when set, is called with every error the error
	// handler answers with a 5xx (or meets after the response started):
	// a hook for metrics, and for tests that assert no input reaches a 500.
	OnServerError func(status int, err error)
	// Metrics times every request by route and serves /metrics; nil turns
	// both off.
	Metrics *metrics.Metrics
	// MetricsToken is the bearer token /metrics demands
	// (CONSOLE_METRICS_TOKEN); empty leaves /metrics a 404.
	MetricsToken string
	// DefaultZone is the time zone of everyone who has not chosen their
	// own (CONSOLE_DEFAULT_TIMEZONE); nil is UTC.
	DefaultZone *time.Location
}

// Server holds the handlers' dependencies.
type Server struct {
	deps     Deps
	log      *slog.Logger
	auth     *auth.Service
	accounts accountKeeper
	users    userAdmin
	sessions *auth.Store
	// balances caches DescribeAccountBalance for the funds check; nil
	// without Deps.TencentCloud.
	balances *accounts.BalanceCache
	// What handlers need of the orders domain, each a small interface
	// declared beside its handlers; all are deps.Orders in production
	// (settler is deps.Sender, accounts deps.Accounts, users deps.Auth).
	composer orderComposer
	decider  orderDecider
	inbox    approvalsCounter
	reader   orderReader
	reworker orderReworker
	shower   orderShower
	sendings sendingReader
	sends    sendRequester
	policies policyKeeper
	prices   priceKeeper
	lists    orderLister
	rules    ruleKeeper
	groups   groupKeeper
	// settler is deps.Sender; nil without one.
	settler orderSettler
}

// New builds the echo instance with every middleware and route.
func New(deps Deps) *echo.Echo {
	if deps.Auth == nil {
		panic("web: Deps.Auth is required")
	}
	if deps.Accounts == nil {
		panic("web: Deps.Accounts is required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.BodyLimit == "" {
		deps.BodyLimit = "1M"
	}
	if deps.DefaultZone == nil {
		deps.DefaultZone = time.UTC
	}
	s := &Server{deps: deps, log: deps.Log, auth: deps.Auth, accounts: deps.Accounts, users: deps.Auth}
	if o := deps.Orders; o != nil {
		s.composer, s.decider, s.inbox, s.reader, s.reworker = o, o, o, o, o
		s.shower, s.sendings, s.sends, s.policies, s.prices, s.lists = o, o, o, o, o, o
		s.rules, s.groups = o, o
	}
	if deps.Sender != nil {
		// Not a nil *Sender in an interface: the pages test settler == nil.
		s.settler = deps.Sender
	}
	s.sessions = deps.Auth.Store(s.secureRequest)
	if deps.TencentCloud != nil {
		s.balances = accounts.NewBalanceCache(deps.Accounts, deps.TencentCloud)
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// Without a trusted proxy, X-Forwarded-For is whatever the client wrote:
	// the throttle and the audit log must use the connection's address.
	e.IPExtractor = echo.ExtractIPDirect()
	if deps.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	e.Use(s.observe()...)
	e.Use(
		s.securityHeaders,
		s.localize,
		middleware.BodyLimit(deps.BodyLimit),
		s.guardInput,
		s.crossOriginCheck,
		s.csrf(),
	)
	s.register(e)
	return e
}

// register mounts every route of routes() behind its role check.
func (s *Server) register(e *echo.Echo) {
	for _, r := range s.routes() {
		e.Add(r.Method, r.Path, r.Handler, s.requireRole(r.Role))
	}
	// Unknown paths still go through the error handler as a 404 page.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}

// secureRequest reports whether the browser reached us over HTTPS: directly,
// or through a trusted proxy that says so.
func (s *Server) secureRequest(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.deps.TrustProxy && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https")
}

var _ http.Handler = (*echo.Echo)(nil)
