// Package api is the console's JSON API under /api/v1: the same domain
// services as the pages (orders, sending, history, auth), reached with
// bearer tokens instead of cookies. Handlers are thin: read the request,
// call the domain, answer JSON; every refusal becomes RFC 9457 problem+json
// in one place (problem.go).
//
// The API accepts only bearer tokens. A browser's cookies never
// authenticate here, so a page on another site cannot make a signed-in
// browser change anything through the API (no CSRF); web's CSRF check
// skips exactly the requests under /api/v1 that carry a bearer token.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/auth"
	"dealdesk/internal/history"
	"dealdesk/internal/orders"
	"dealdesk/internal/sending"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// Limiter is the per-token rate limit (ratelimit.Allowance).
type Limiter interface {
	Take(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// Deps is everything the API is given; it builds nothing itself.
type Deps struct {
	Log     *slog.Logger
	Auth    *auth.Service
	Orders  *orders.Service
	Sender  *sending.Sender
	History *history.Service
	// Limit is each token's budget of calls; nil means no limit.
	Limit Limiter
	// OnServerError, when set, sees every error answered with a 5xx.
	OnServerError func(status int, err error)
}

// Server holds the handlers' dependencies.
type Server struct {
	deps Deps
}

// New builds the API's echo instance. Mount it at Prefix (web does, through
// web.Deps.API).
func New(deps Deps) *echo.Echo {
	if deps.Auth == nil || deps.Orders == nil || deps.History == nil {
		panic("api: Deps.Auth, Orders and History are required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: deps}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestContext, s.recoverPanics)
	for _, r := range s.routes() {
		e.Add(r.Method, Prefix+r.Path, r.Handler, s.authorize(r))
	}
	e.RouteNotFound(Prefix+"/*", func(echo.Context) error { return echo.ErrNotFound })
	return e
}

// Keys of what the middleware leaves on the echo context.
const (
	ctxPrincipal = "api.principal"
	ctxLogger    = "api.logger"
	ctxRequestID = "api.request_id"
)

// requestContext takes the request id web's middleware gave the request
// (or makes one) and a logger carrying it.
func (s *Server) requestContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Response().Header().Get(echo.HeaderXRequestID)
		if id == "" {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
			c.Response().Header().Set(echo.HeaderXRequestID, id)
		}
		c.Set(ctxRequestID, id)
		c.Set(ctxLogger, s.deps.Log.With("request_id", id, "api", true))
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// recoverPanics turns a panic into a 500 problem, never a stack trace.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if err, ok := r.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(r)
				}
				logger(c).Error("api: panic", "panic", r)
				err = &panicError{}
			}
		}()
		return next(c)
	}
}

type panicError struct{}

func (*panicError) Error() string { return "api: panic" }

// authorize authenticates the bearer token, spends one call of its rate
// limit and checks the route's scope and roles, in that order: an unknown
// token learns nothing about routes, and a refused call still counts.
func (s *Server) authorize(r Route) echo.MiddlewareFunc {
	if len(r.Scopes) == 0 && !r.Public {
		panic("api: route " + r.Path + " declares no scope")
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if r.Public {
				return next(c)
			}
			secret, ok := bearer(c.Request())
			if !ok {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="dealdesk"`)
				return &refusal{kind: "unauthorized", detail: "Send a token: Authorization: Bearer ddk_…"}
			}
			ctx := c.Request().Context()
			p, err := s.deps.Auth.Authenticate(ctx, secret)
			if err != nil {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="dealdesk", error="invalid_token"`)
				return err
			}
			c.Set(ctxPrincipal, p)
			c.Set(ctxLogger, logger(c).With("token_id", p.Token.ID, "token", p.Token.Name, "user_id", p.User.ID))
			if s.deps.Limit != nil {
				ok, wait, err := s.deps.Limit.Take(ctx, "api-token:"+p.Token.ID64())
				if err != nil {
					return err
				}
				if !ok {
					return &refusal{kind: "rate_limited", retryAfter: max(1, int(math.Ceil(wait.Seconds()))),
						detail: "This token has made too many calls; wait as Retry-After says, then try again."}
				}
			}
			if !slices.ContainsFunc(r.Scopes, p.Token.Has) {
				return &refusal{kind: "refused", detail: "This token does not have the " + scopeNames(r.Scopes) + " scope."}
			}
			if len(r.Roles) > 0 && !slices.ContainsFunc(p.Roles(), func(have auth.Role) bool { return slices.Contains(r.Roles, have) }) {
				return &refusal{kind: "refused", detail: "The token's user does not have a role that may do this (or the token's scopes leave it out)."}
			}
			return next(c)
		}
	}
}

// bearer reads "Authorization: Bearer <token>". Only the header counts: a
// token in the URL would end up in logs.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get(echo.HeaderAuthorization)
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// HasBearer reports whether a request carries a bearer token: web's CSRF
// check skips those requests under Prefix, and only those.
func HasBearer(r *http.Request) bool {
	_, ok := bearer(r)
	return ok && (r.URL.Path == Prefix || strings.HasPrefix(r.URL.Path, Prefix+"/"))
}

func principal(c echo.Context) auth.Principal {
	p, ok := c.Get(ctxPrincipal).(auth.Principal)
	if !ok {
		panic("api: handler needs a principal; its route must not be public")
	}
	return p
}

// actor is the token's user as the domain sees the author of a change: the
// roles its scopes leave, and the token's name for the audit log.
func actor(c echo.Context) orders.Actor {
	p := principal(c)
	roles := p.Roles()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return orders.Actor{UserID: p.User.ID, Roles: names, RemoteAddr: c.RealIP(), RequestID: requestID(c), Via: p.Token.Label()}
}

func logger(c echo.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// reply answers v as JSON with status.
func reply(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return jsonEncoder(c.Response()).Encode(v)
}
