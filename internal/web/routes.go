package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dealdesk/web/static"
)

// Role is what a route demands of the person asking.
type Role string

// The roles a route can require. Public routes answer anyone.
const (
	RolePublic Role = "public"
)

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
	return []Route{
		// Health: for load balancers and orchestrators.
		{http.MethodGet, "/healthz", RolePublic, s.healthz},
		{http.MethodGet, "/readyz", RolePublic, s.readyz},

		// Static files under content-hashed names.
		{http.MethodGet, static.Prefix + "*", RolePublic, echo.WrapHandler(static.Handler())},

		// Pages.
		{http.MethodGet, "/", RolePublic, s.home},
	}
}
