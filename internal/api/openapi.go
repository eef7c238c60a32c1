package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// OpenAPIDocument describes this API (OpenAPI 3.1). It is committed, served
// as is, and the API's tests validate every response they get against it.
//
//go:embed openapi.json
var OpenAPIDocument []byte

func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, OpenAPIDocument)
}
