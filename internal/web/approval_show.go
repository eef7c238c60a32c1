package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// approvalShow shows an order's approval page.
func (s *Server) approvalShow(c echo.Context) error {
	id, err := approvalOrderID(c)
	if err != nil {
		return err
	}
	return s.renderApproval(c, http.StatusOK, id, approvalForm{})
}
