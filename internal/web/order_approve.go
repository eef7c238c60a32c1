package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderApprove approves the version and hash the form carried.
func (s *Server) orderApprove(c echo.Context) error { return s.decide(c, orders.DecisionApprove) }
