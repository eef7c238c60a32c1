package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz says the process is alive; it touches nothing else.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz says the console can serve: the database answers.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if s.deps.DB == nil {
		return c.String(http.StatusServiceUnavailable, "database: not configured\n")
	}
	if err := s.deps.DB.Ping(ctx); err != nil {
		logger(c).Warn("readiness: database unreachable", "err", err)
		return c.String(http.StatusServiceUnavailable, "database: unreachable\n")
	}
	return c.String(http.StatusOK, "ready\n")
}
