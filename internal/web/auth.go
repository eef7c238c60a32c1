package web

import (
	"github.com/labstack/echo/v4"
)

// requireRole guards a route with the role the route table declares. A route
// without a role is a programming error and stops the server from starting.
func (s *Server) requireRole(role Role) echo.MiddlewareFunc {
	switch role {
	case RolePublic:
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	default:
		panic("web: route declares unknown role " + string(role))
	}
}
