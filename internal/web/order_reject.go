package web

import (
	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderReject rejects the version and hash the form carried, with a reason.
func (s *Server) orderReject(c echo.Context) error { return s.decide(c, orders.DecisionReject) }
