package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// orderUpdate handles the edit form. Saving names the version the person
// edited (a hidden field): if the order changed since, the service refuses
// with a conflict (409) and nothing is overwritten.
func (s *Server) orderUpdate(c echo.Context) error {
	o, err := s.pathOrder(c)
	if err != nil {
		return err
	}
	if err := s.mayEdit(c, o); err != nil {
		return err
	}
	f, err := parseOrderForm(c, o.Product)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(f.version)
	if err != nil || version < 1 {
		return &SafeError{Status: http.StatusBadRequest, Safe: "error.edit_version_missing", Err: err}
	}
	v, err := s.editView(c, o)
	if err != nil {
		return err
	}
	// The page keeps the version the person started from, so a stale edit
	// stays stale however many times it is previewed.
	v.Version = version
	actor := s.ordersActor(c)
	return s.submitOrderForm(c, f, v, o.ClientToken, func(ctx context.Context, d orders.Draft) (orders.Order, error) {
		return s.reworker.Update(ctx, actor, o.ID, version, d)
	})
}
