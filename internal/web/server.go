// Package web is the HTTP face of the console: echo handlers, one file per
// page action, every route listed in routes.go with the role it requires.
// Handlers are thin: parse, call the domain, render or redirect.
package web

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Pinger is what readiness needs from the database.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the web layer is given; it builds nothing itself.
type Deps struct {
	Log       *slog.Logger
	DB        Pinger
	Sandbox   bool
	BodyLimit string
	Version   string
}

// Server holds the handlers' dependencies.
type Server struct {
	deps Deps
	log  *slog.Logger
}

// New builds the echo instance with every middleware and route.
func New(deps Deps) *echo.Echo {
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.BodyLimit == "" {
		deps.BodyLimit = "1M"
	}
	s := &Server{deps: deps, log: deps.Log}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(
		s.requestContext,
		s.recoverPanics,
		securityHeaders,
		middleware.BodyLimit(deps.BodyLimit),
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

// version reports the build; used by the footer and /healthz.
func (s *Server) version() string {
	if s.deps.Version == "" {
		return "dev"
	}
	return s.deps.Version
}

var _ http.Handler = (*echo.Echo)(nil)
