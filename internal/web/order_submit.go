package web

import (
	"math"

	"github.com/labstack/echo/v4"
)

// orderSubmit puts a draft before approvers, at the version the form carried.
// A version that is missing or not a number is refused, not taken as 0.
func (s *Server) orderSubmit(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	r, err := readForm(c)
	if err != nil {
		return err
	}
	version, _ := r.number("version", 1, math.MaxInt32, "field.no_version_submit")
	if !r.ok() {
		return s.refuseAction(c, id, r.errs, approvalForm{})
	}
	_, err = s.decider.Submit(c.Request().Context(), s.ordersActor(c), id, version)
	return s.finishAction(c, id, err, tr(c, "flash.submitted"), approvalForm{})
}
