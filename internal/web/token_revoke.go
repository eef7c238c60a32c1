package web

import "github.com/labstack/echo/v4"

// personalTokenRevoke revokes one of the person's own tokens.
func (s *Server) personalTokenRevoke(c echo.Context) error { return s.tokenRevoke(c, false) }

// serviceTokenRevoke revokes a service token (admins).
func (s *Server) serviceTokenRevoke(c echo.Context) error { return s.tokenRevoke(c, true) }
