package web

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderReader loads the order a page or move is about. *orders.Service
// is one.
type orderReader interface {
	Get(ctx context.Context, id int64) (orders.Order, error)
}

// ordersActor is the signed-in user as internal/orders sees the author of
// a change: their id and roles, and where the request came from for the
// audit log.
func (s *Server) ordersActor(c echo.Context) orders.Actor {
	u := s.user(c)
	cl := s.client(c)
	return orders.Actor{UserID: u.ID, Roles: roleNames(u.Roles), RemoteAddr: cl.RemoteAddr, RequestID: cl.RequestID}
}

// pathOrder loads the order the :id in the path names. A malformed id is
// the same 404 as a missing order.
func (s *Server) pathOrder(c echo.Context) (orders.Order, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return orders.Order{}, echo.ErrNotFound
	}
	return s.reader.Get(c.Request().Context(), id)
}

// pathProduct reads the :product of /orders/new/:product; anything but the
// three products is a 404.
func pathProduct(c echo.Context) (orders.Product, error) {
	p := orders.Product(c.Param("product"))
	if !p.Valid() {
		return "", echo.ErrNotFound
	}
	return p, nil
}
