package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// policyUpdate replaces a policy's settings.
func (s *Server) policyUpdate(c echo.Context) error {
	cur, err := s.pathPolicy(c)
	if err != nil {
		return err
	}
	return s.policyWrite(c, cur, func(p orders.Policy) string { return policyPath(p.ID) })
}
