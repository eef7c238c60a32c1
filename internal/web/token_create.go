package web

import "github.com/labstack/echo/v4"

// personalTokenCreate makes a personal token (POST /account/tokens).
func (s *Server) personalTokenCreate(c echo.Context) error { return s.tokenCreate(c, false) }

// serviceTokenCreate makes a service token (POST /admin/tokens).
func (s *Server) serviceTokenCreate(c echo.Context) error { return s.tokenCreate(c, true) }
