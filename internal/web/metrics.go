package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// metrics serves Prometheus's scrape to a caller holding the bearer token
// (CONSOLE_METRICS_TOKEN). Without a configured token, or without metrics,
// the route does not exist as far as anyone can tell: a 404. A wrong or
// missing token is a 401 that says nothing more.
func (s *Server) metrics(c echo.Context) error {
	if s.deps.Metrics == nil || s.deps.MetricsToken == "" {
		return echo.ErrNotFound
	}
	given, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(given), []byte(s.deps.MetricsToken)) != 1 {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return c.String(http.StatusUnauthorized, "a bearer token is required\n")
	}
	s.deps.Metrics.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}
